"""The render layer: report notebooks executed (papermill) and converted (nbconvert) into
self-contained HTML and PDF under reports/, with run.json provenance and an index.

Nothing heavy is imported here: `thirdcountry --help` and `thirdcountry list` stay fast.
"""
