// Starts Swagger UI on /docs from a file, as the Content-Security-Policy allows no inline scripts.
window.ui = SwaggerUIBundle({
  url: document.getElementById("swagger-ui").getAttribute("data-openapi"),
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset]
});
