"""The training site on JupyterHub: its settings, hub configuration, accounts, the exchange and bring-up."""
