"""Evaluation harness: the measurements that decide what ships.

- ``synthetic``: corrupted drafts from reference reads, audited by the real parser and comparator,
  scored against the decisions each corruption requires (``eval synthetic``).
- ``parser`` / ``parser_score``: the draft parser on real reports against human labels, with the
  rules of the reference scorer ``shared/bench/score_parser.py`` (``eval parser``).
- ``grounding``: an image read against expert boxes, presence and per-image box metrics
  (``eval grounding``).
- ``sources`` (where reference reads come from), ``backends`` (rules / reference / Triton readers),
  ``report`` and ``plots`` (JSON, Markdown, PNG), ``progress`` (a stderr progress bar).

Every evaluation counts and lists each item it could not use or evaluate; none is dropped. Metrics
come from ``core.metrics``; ``serving`` is imported only for the Triton options, matplotlib only to
draw plots (the ``[eval]`` extra).
"""
