"""The lab's benchmarks (`make bench`); figures go to docs/PERFORMANCE.md."""
