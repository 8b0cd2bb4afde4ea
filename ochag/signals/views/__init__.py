"""Signal screens: thin adapters over policies, selectors and services, one module per part."""
