"""HeyGen v3 API client: models + httpx, nothing from config, services or the UI."""
