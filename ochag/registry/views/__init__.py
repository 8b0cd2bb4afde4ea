"""Registry screens, one module per sub-aggregate. Thin: policy, form, service, template."""
