import { PassThrough } from "node:stream";
import type { EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { addDocumentResponseHeaders } from "./shopify/shopify.server";
import { adminEmulator } from "./platform/env.server";

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  pointAtEmulatedAdmin(responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise<Response>((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        // Rendering errors are reported by Remix's own error handling; keep the status honest.
        void error;
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}

// Under the demo/tests the local admin emulator frames the app and serves
// App Bridge; production never has one, so these headers stay Shopify's.
function pointAtEmulatedAdmin(headers: Headers) {
  const emulator = adminEmulator();
  if (!emulator) return;
  const csp = headers.get("Content-Security-Policy");
  if (csp?.startsWith("frame-ancestors ")) {
    headers.set("Content-Security-Policy", csp.replace("frame-ancestors ", `frame-ancestors ${emulator.origin} `));
  }
  if (headers.has("Link")) headers.set("Link", `<${emulator.appBridgeUrl}>; rel="preload"; as="script";`);
}
