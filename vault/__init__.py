"""The Audit Vault: security logs from an API, archived byte for byte in S3, audited in MongoDB.

The service is ``vault.service.VaultService``; ``vault.bootstrap`` wires it."""
