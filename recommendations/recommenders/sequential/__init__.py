"""A Transformer over the order of each shopper's actions: what comes next (see `recommender`)."""
