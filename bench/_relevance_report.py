"""The text around the figures of ``bench/relevance.py`` in docs/benchmarks.md."""

REPORT = """
Measured {date} on {machine} with `.venv/bin/python bench/relevance.py --write` (took
{seconds:.0f} s in all).

{personas} hand-written volunteer personas ({mental} looking for community mental-health roles;
{tune} "tune", {holdout} "holdout": the holdout half is never used for tuning decisions) against
the {roles} roles `seed_demo` creates; {judgments} persona/role pairs judged by hand on 0-3 (rules
and how the pool was made: `bench/judgments/README.md`); unjudged pairs count as 0. The product
row is the real path: each persona signs up (`volunteer_register`), follows the verification link,
fills the profile through `PATCH /api/v1/volunteers/me/`, and staff are taken to have verified the
check and trainings it declares; then a full matching run (the chunks `match_all` executes) with
the demo's generated volunteers, and each persona's open suggestions in the review queue's order
(score descending); roles not suggested are not retrieved (median {median} suggestions per
persona; personas with none: {none}). Baselines rank the whole catalogue, no eligibility rules,
with the persona's text + skill and cause names against role title + description; the embedding
row is all-MiniLM-L6-v2 (the optional `embeddings` extra) on the same texts. nDCG@10 uses gains
2^g - 1; P@10, Recall@50 (over the judged relevant) and MRR count grade >= 2 as relevant.

{table}

Holdout half only:

{holdout_table}

**Why the product cannot reach the baselines here, and what it does within its rules.** The
product only suggests roles its hard rules allow (within the volunteer's own travel distance, a
mode they accept, old enough, checks and trainings held, required skills unless taught, a shared
slot for fixed times); the grading rules accept more as a good fit (in person "roughly within twice
their travel distance", a training not held yet). {reachable} of the relevant pairs are eligible
(median {eligible} eligible roles per persona), so even the best possible order of the eligible
roles (the ceiling row) scores below the baselines, which rank every role. On the same eligible
roles, each ranker's order with the ineligible ones taken out:

{within_table}

{blocked_table}

What each limit costs, measured 2026-12-03 with the same judgments (figures of those runs, not of
this one's): the run's assignment costs the personas nothing here (the product's score alone, over
every eligible role, gives the same order as the review queue: the row above it). The travel
distance is the biggest limit, but not the only one: with each persona entering 1.5 or 2 times
their travel distance (`bench/relevance.py --travel-stretch 1.5`, `2`), 71% and 78% of the
relevant pairs become eligible, the ceiling rises to 0.709 and 0.751, and the product to 0.527
and 0.547 nDCG@10 (holdout 0.473 and 0.506), still below the baselines' 0.64-0.66. So within its
rules the product ranks below what it could (the ceiling), and the text representation is where
the rest is: on the tune personas, re-weighting the features (text 0.5-0.9, per-volunteer
normalised text) moves nDCG@10 by less than 0.01 (`--dump-features`), character 3-5-grams beside
the words +0.006, the MiniLM hybrid +0.016; none of them is shipped. The travel distance stays a
hard rule: it is the volunteer's own word on what they can sustain, and a match they cannot reach
does not last.

Judged share of each ranker's top 10 (1.00 = every shown pair judged): {coverage}.

Caveats, honestly:

* Two judges: the benchmark's author graded the first 1,657 pairs, not blind to which ranker
  pooled them; 323 pairs pooled later (the re-weighted product, the assignment and the embedding
  ranker) were graded by a second judge who saw only the persona, the role and the rules. No pair was graded
  twice, so there is no agreement figure.
* The personas were written by someone who had read the demo's written roles and part of the NYC
  list, so their wording overlaps the roles they should find more than a stranger's would: the
  lexical baselines are flattered here. Issue 10's hidden set (same catalogue, other personas and
  judges) scored the product 0.31 nDCG@10, BM25 0.56, TF-IDF characters 0.60.
* The pool is the top 10 of the rankers plus 5 random roles per persona. A changed ranker brings
  new roles into its top 10: run with `--pool`, judge the new pairs with the same rules, and check
  that the judged share above is back to 1.00 before trusting its figures.
* Tuning looks at the tune rows only (`--per-persona` shows tune personas alone, `--dump-features`
  writes every eligible pair's features for trying weights); the holdout rows are reported once a
  change is chosen.
"""
