package dev.outpost.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The dashboard page and its assets, served from the jar: no CDN, so it works without internet.
 * Only the files listed here are served.
 */
public final class Dashboard implements HttpHandler {

  private static final Map<String, String> FILES =
      Map.of(
          "/", "index.html",
          "/index.html", "index.html",
          "/assets/dashboard.js", "dashboard.js",
          "/assets/dashboard.css", "dashboard.css");

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8");

  @Override
  public void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      final String file = FILES.get(exchange.getRequestURI().getPath());
      if (file == null) {
        exchange.sendResponseHeaders(404, -1);
        return;
      }
      final byte[] body;
      try (InputStream in = Dashboard.class.getResourceAsStream("dashboard/" + file)) {
        if (in == null) {
          throw new IllegalStateException("The dashboard asset " + file + " is missing from the jar");
        }
        body = in.readAllBytes();
      }
      exchange.getResponseHeaders().add("Content-Type", TYPES.get(file.substring(file.lastIndexOf('.') + 1)));
      exchange.getResponseHeaders().add("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
    }
  }
}
