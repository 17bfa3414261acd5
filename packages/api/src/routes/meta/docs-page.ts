/** The API reference page: Swagger UI, with every asset served by the API itself (works offline). */
export function docsPage(assetsBase: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Memberkit API reference</title>
<link rel="stylesheet" href="${assetsBase}/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="${assetsBase}/swagger-ui-bundle.js"></script>
<script src="/docs/init.js"></script>
</body>
</html>`;
}

/** Starts Swagger UI on our document. A separate file, so the page needs no inline script. */
export const DOCS_INIT_SCRIPT = `window.ui = SwaggerUIBundle({
  url: '/openapi.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  persistAuthorization: true,
  tryItOutEnabled: true,
  displayRequestDuration: true,
});`;
