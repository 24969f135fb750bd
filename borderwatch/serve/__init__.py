"""The web server: a JSON API under /api and HTML pages showing every fact beside its evidence.

``create_app(settings)`` builds the app over one Store; ``serve(settings)`` runs it with uvicorn.
The OpenAPI schema is at /openapi.json (offline); FastAPI's /docs page loads Swagger UI from a
CDN, so it needs internet, while the HTML pages and their CSS are served locally.
"""

from borderwatch.serve.web import create_app, serve

__all__ = ["create_app", "serve"]
