"""Adapters: the ports implemented over requests, boto3 and pymongo. Clients are injected."""
