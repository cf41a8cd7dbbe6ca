"""``explainer new``: scaffold a commented explainer that passes check."""
