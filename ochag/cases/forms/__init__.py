"""Forms of the case screens, one module per sub-aggregate (as the views are split).
Dates are typed as ДД.ММ.ГГГГ (ISO also accepted)."""
