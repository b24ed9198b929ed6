"""What the suggestions room keeps of its own: the staged pools and assignment of a full run."""

from __future__ import annotations

from django.db import models

from matching.models import MatchRunChunk


class RunPlanSlice(models.Model):
    """One chunk's part of its run's assignment (``matching.engine.plan``: ids, scored parts and
    rank of each shown pair, as compact bytes). The assignment of a run is solved once, over every
    volunteer of the run, and written for all its chunks in one transaction; a chunk stores its
    slice and deletes it. Whoever solves second finds the slices there (the primary key refuses
    the second write) and uses them, so the run's suggestions do not depend on which worker ran
    what, or in what order."""

    chunk = models.OneToOneField(
        MatchRunChunk, primary_key=True, on_delete=models.CASCADE, related_name="plan_slice"
    )
    pairs = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"plan of chunk {self.chunk_id}"


class RunPoolPart(models.Model):
    """One chunk's volunteers' pools for its run's assignment (``matching.engine.parts``, as
    compact bytes: ids and scored parts of each volunteer's best eligible roles). Each chunk of a
    run stores its own; the chunk that finds every part stored solves the run's assignment from
    them, writes the slices (``RunPlanSlice``) and deletes the parts in the same transaction."""

    chunk = models.OneToOneField(
        MatchRunChunk, primary_key=True, on_delete=models.CASCADE, related_name="pool_part"
    )
    pools = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"pools of chunk {self.chunk_id}"
