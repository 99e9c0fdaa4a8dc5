"""The catalogue benchmark (`make bench`): see `bench/catalogue.py` and docs/performance.md."""
