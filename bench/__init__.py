"""The planner's benchmark (`make bench`): see bench/README.md. Never part of `make test`."""
