"""A conformance kit: holds any Audit Vault to the process contract of the acceptance language."""
