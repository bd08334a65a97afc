// What the registry answers for a record's schema id decides between skipping the record and failing the read: only
// a 404 says the id is unknown; anything else may pass, so the read fails and the record is read again later.
import { test } from "node:test";
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { RecordCodec, RegistryUnavailableError } from "../dist/codec.js";

/** A registry answering every request with `status` and `body`; counts the requests. */
async function answering(status, body) {
  const server = createServer((request, response) => {
    request.resume();
    response.writeHead(status, { "Content-Type": "application/vnd.schemaregistry.v1+json" });
    response.end(body);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { port: server.address().port,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }) };
}

const RECORD = Buffer.from([0, 0, 0, 0, 7, 0, 1, 2]);

test("a 404 skips the record; every other failing answer fails the read, without the URL's password", async () => {
  const notFound = await answering(404, '{"error_code":40403,"message":"Schema not found"}');
  try {
    const decoded = await new RecordCodec({ url: `http://127.0.0.1:${notFound.port}` }).decodeDeliveryEvent(RECORD);
    assert.deepEqual(decoded, { ok: false, reason: "names schema id 7, which the registry does not have" });
  } finally {
    await notFound.close();
  }
  const failing = [
    [500, "{}"], [503, "<html>down</html>"], [408, "{}"], [429, '{"message":"slow down"}'],
    [401, '{"error_code":401,"message":"Unauthorized"}'], [403, '{"error_code":40301,"message":"forbidden"}'],
    [400, "{}"], [200, "<html>a proxy's page</html>"], [200, '{"schema":"{\\"type\\":\\"record\\"}"}'],
    [200, '{"schemaType":"PROTOBUF","schema":"syntax = \\"proto3\\"; message M { string a = 1; }"}'],
  ];
  for (const [status, body] of failing) {
    const registry = await answering(status, body);
    try {
      const codec = new RecordCodec({ url: `http://reader:s3cret-pw@127.0.0.1:${registry.port}` });
      await assert.rejects(codec.decodeDeliveryEvent(RECORD), (error) => {
        assert.ok(error instanceof RegistryUnavailableError, `HTTP ${status} ${body}: ${error}`);
        assert.match(error.message, new RegExp(`cannot read schema id 7 from the registry at http://127\\.0\\.0\\.1:${registry.port}: `));
        assert.doesNotMatch(error.message, /s3cret|reader:/, `HTTP ${status}`);
        return true;
      });
    } finally {
      await registry.close();
    }
  }
  const gone = await answering(200, "{}");
  await gone.close();
  await assert.rejects(new RecordCodec({ url: `http://reader:s3cret-pw@127.0.0.1:${gone.port}/` })
    .decodeDeliveryEvent(RECORD), (error) => error instanceof RegistryUnavailableError
    && !/s3cret/.test(error.message));
});
