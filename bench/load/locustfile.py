"""The API under a realistic mix, for locust (run by bench/load/run_load.py, which prepares the
database, the tokens and the servers; see docs/reliability.md "Load").

    locust -f bench/load/locustfile.py --headless --host http://127.0.0.1:8150 \\
        --users 50 --spawn-rate 50 --run-time 60s

Each simulated user holds a device token from ``KINDRED_LOAD_TOKENS`` (a JSON file of volunteers'
tokens and coordinators' tokens with their roles and open suggestions) and paces itself to
``KINDRED_LOAD_RPS`` requests per second shared by all users. The mix, by weight:

volunteers (7 in 10 users): browse roles near a place (``near=`` + ``radius_km=``, some with a
cause or ``q=`` text) 45, read their profile 15, edit it (a bio change, which queues a rematch) 10;
coordinators (3 in 10): their review queue of one role, best first, 25, approve one open
suggestion (each at most once) 5.
"""

from __future__ import annotations

import json
import os
import random

from locust import HttpUser, constant_throughput, events, task

with open(os.environ["KINDRED_LOAD_TOKENS"], encoding="utf-8") as tokens_file:
    TOKENS = json.load(tokens_file)
PLACES = [(40.7359, -73.9911), (40.6782, -73.9442), (40.7282, -73.7949), (40.8448, -73.8648)]
WORDS = ["listening", "food", "tutoring", "mentor", "seniors", "garden", "helpline", "youth"]
CAUSES = ["mental-health", "youth", "seniors", "food-security", "homelessness"]
BIOS = [
    "I like to listen and I know what loneliness feels like.",
    "Retired teacher, happy to tutor and to mentor on weekends.",
    "Nursing student; I can help at a clinic or a helpline in the evenings.",
]
_handed_out = {"volunteers": 0, "coordinators": 0}


@events.init_command_line_parser.add_listener
def _options(parser) -> None:
    parser.add_argument(
        "--target-rps",
        type=float,
        default=float(os.environ.get("KINDRED_LOAD_RPS", "100")),
        help="requests per second, shared by all users",
    )


class _Person(HttpUser):
    abstract = True
    pool = ""

    def on_start(self) -> None:
        tokens = TOKENS[self.pool]
        n = _handed_out[self.pool] = _handed_out[self.pool] + 1
        self.me = tokens[n % len(tokens)]
        self.client.headers["Authorization"] = f"Token {self.me['token']}"

    def wait_time(self) -> float:
        users = max(self.environment.runner.user_count, 1)
        return constant_throughput(self.environment.parsed_options.target_rps / users)(self)

    def browse_nearby(self) -> None:
        lat, lon = random.choice(PLACES)
        query = f"near={lat + random.uniform(-0.02, 0.02):.4f},{lon:.4f}"
        query += f"&radius_km={random.choice([2, 5, 10, 25])}"
        extra = random.random()
        if extra < 0.2:
            query += f"&cause={random.choice(CAUSES)}"
        elif extra < 0.35:
            query += f"&q={random.choice(WORDS)}"
        self.client.get(f"/api/v1/opportunities/?{query}", name="browse near")


class Volunteer(_Person):
    """Browses roles near a place, reads and edits her profile (an edit queues a rematch)."""

    weight = 7
    pool = "volunteers"

    @task(45)
    def browse(self) -> None:
        self.browse_nearby()

    @task(15)
    def profile_read(self) -> None:
        self.client.get("/api/v1/volunteers/me/", name="profile read")

    @task(10)
    def profile_edit(self) -> None:
        self.client.patch(
            "/api/v1/volunteers/me/", json={"bio": random.choice(BIOS)}, name="profile edit"
        )


class Coordinator(_Person):
    """Reads the review queue of one of her roles, best first, and approves open suggestions."""

    weight = 3
    pool = "coordinators"

    @task(25)
    def review_queue(self) -> None:
        role = random.choice(self.me["opportunities"])
        self.client.get(
            f"/api/v1/matches/?opportunity={role}&status=suggested&ordering=-score",
            name="review queue",
        )

    @task(5)
    def approve(self) -> None:
        if not self.me["suggestions"]:
            self.review_queue()
            return
        match_id = self.me["suggestions"].pop()
        with self.client.post(
            f"/api/v1/matches/{match_id}/approve/", json={}, name="approve", catch_response=True
        ) as answer:
            # Two users holding the same coordinator may both try one suggestion: the second
            # gets the API's clean 409, which is not an error of the service.
            if answer.status_code in (200, 409):
                answer.success()
