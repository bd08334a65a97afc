// A Confluent-API schema registry of the two routes the codec uses, in this process: GET /schemas/ids/{id} and
// POST /subjects/{subject}/versions (the same canonical schema under a subject keeps its id). Not a test file.
import { createServer } from "node:http";

export async function startRegistry() {
  const schemas = [];
  const subjects = new Map();
  const registrations = [];
  const canonical = (schema) => JSON.stringify(typeof schema === "string" ? JSON.parse(schema) : schema);
  const add = (schema, subject) => {
    const text = canonical(schema);
    let id = schemas.indexOf(text) + 1;
    if (id === 0) {
      schemas.push(text);
      id = schemas.length;
    }
    if (subject !== undefined) {
      subjects.set(subject, id);
    }
    return id;
  };
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => { body += chunk; });
    request.on("end", () => {
      const answer = (status, value) => {
        response.writeHead(status, { "Content-Type": "application/vnd.schemaregistry.v1+json" });
        response.end(JSON.stringify(value));
      };
      const byId = /^\/schemas\/ids\/(\d+)$/.exec(request.url);
      const register = /^\/subjects\/([^/]+)\/versions$/.exec(request.url);
      if (request.method === "GET" && byId) {
        const schema = schemas[Number(byId[1]) - 1];
        return schema ? answer(200, { schema }) : answer(404, { error_code: 40403, message: "Schema not found" });
      }
      if (request.method === "POST" && register) {
        const subject = decodeURIComponent(register[1]);
        registrations.push(subject);
        return answer(200, { id: add(JSON.parse(body).schema, subject) });
      }
      answer(404, { error_code: 404, message: "no route" });
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    add,
    registrations,
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(resolve); }),
  };
}
