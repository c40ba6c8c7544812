import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppContext } from '../../core/context.ts';
import * as o311 from './open311.ts';

/**
 * Open311 GeoReport v2 under /open311/v2/: discovery, services, services/{code}, requests (GET and
 * POST), requests/{id}, tokens/{token}; each as .json or .xml with the specification's element
 * names, errors as [{code, description}] / <errors><error>…, and its HTTP status codes.
 */

type Format = 'json' | 'xml';

function esc(v: unknown): string {
  return String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Element for a value: arrays repeat a child element, objects nest, null is an empty element. */
function el(name: string, v: unknown, arrayItem?: string): string {
  if (v === null || v === undefined || v === '') return `<${name}/>`;
  if (Array.isArray(v)) return `<${name}>${v.map((x) => el(arrayItem ?? 'item', x, ITEM_NAMES[arrayItem ?? ''])).join('')}</${name}>`;
  if (typeof v === 'object')
    return `<${name}>${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => el(k, x, ITEM_NAMES[k]))
      .join('')}</${name}>`;
  return `<${name}>${esc(v)}</${name}>`;
}

/** The element name of one member of each list, as the specification writes them. */
const ITEM_NAMES: Record<string, string> = {
  endpoints: 'endpoint',
  formats: 'format',
  attributes: 'attribute',
  values: 'value',
  attribute: 'attribute',
  value: 'value',
};

export function toXml(root: string, item: string, items: unknown[] | Record<string, unknown>): string {
  const body = Array.isArray(items)
    ? items.map((x) => el(item, x)).join('')
    : Object.entries(items)
        .map(([k, v]) => el(k, v, ITEM_NAMES[k]))
        .join('');
  return `<?xml version="1.0" encoding="utf-8"?><${root}>${body}</${root}>`;
}

function send(reply: FastifyReply, format: Format, status: number, root: string, item: string, data: unknown[] | Record<string, unknown>) {
  reply.status(status);
  if (format === 'xml') return reply.type('text/xml; charset=utf-8').send(toXml(root, item, data));
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(data));
}

function sendError(reply: FastifyReply, format: Format, status: number, description: string) {
  return send(reply, format, status, 'errors', 'error', [{ code: status, description }]);
}

/** Splits "requests.json" into its name and format; null for an unknown format. */
function split(file: string): { name: string; format: Format } | null {
  const m = /^(.+)\.(json|xml)$/.exec(file);
  return m ? { name: decodeURIComponent(m[1]), format: m[2] as Format } : null;
}

export async function open311Routes(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  // GeoReport v2 clients post application/x-www-form-urlencoded.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
  const hide = { hide: true };

  const guard = async (reply: FastifyReply, format: Format, fn: () => Promise<void | FastifyReply>) => {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof o311.Open311Error) return sendError(reply, format, e.status, e.description);
      throw e;
    }
  };

  app.get<{ Params: { file: string }; Querystring: Record<string, string> }>('/open311/v2/:file', { schema: hide }, async (req, reply) => {
    const f = split(req.params.file);
    if (!f) return sendError(reply, 'json', 404, 'unknown format: use .json or .xml');
    return guard(reply, f.format, async () => {
      if (f.name === 'discovery') {
        const base = `${req.protocol}://${req.host}/open311/v2/`;
        return send(reply, f.format, 200, 'discovery', '', {
          changeset: '2026-11-23T00:00:00+08:00',
          contact: '请联系本区事件指挥中心 (your district command centre)',
          key_service: 'API keys are issued by the operator: npx gongzhi open311 key create --name <client>',
          endpoints: [
            {
              specification: 'http://wiki.open311.org/GeoReport_v2',
              url: base,
              changeset: '2026-11-23T00:00:00+08:00',
              type: 'production',
              formats: ['text/xml', 'application/json'],
            },
          ],
        });
      }
      if (f.name === 'services') return send(reply, f.format, 200, 'services', 'service', await o311.services(ctx));
      if (f.name === 'requests') return send(reply, f.format, 200, 'service_requests', 'request', await o311.listRequests(ctx, req.query));
      return sendError(reply, f.format, 404, `no such resource: ${f.name}`);
    });
  });

  app.get<{ Params: { file: string } }>('/open311/v2/services/:file', { schema: hide }, async (req, reply) => {
    const f = split(req.params.file);
    if (!f) return sendError(reply, 'json', 404, 'unknown format: use .json or .xml');
    return guard(reply, f.format, async () =>
      send(reply, f.format, 200, 'service_definition', '', await o311.serviceDefinition(ctx, f.name)),
    );
  });

  app.get<{ Params: { file: string } }>('/open311/v2/requests/:file', { schema: hide }, async (req, reply) => {
    const f = split(req.params.file);
    if (!f) return sendError(reply, 'json', 404, 'unknown format: use .json or .xml');
    return guard(reply, f.format, async () =>
      send(reply, f.format, 200, 'service_requests', 'request', await o311.getRequest(ctx, f.name)),
    );
  });

  app.get<{ Params: { file: string } }>('/open311/v2/tokens/:file', { schema: hide }, async (req, reply) => {
    const f = split(req.params.file);
    if (!f) return sendError(reply, 'json', 404, 'unknown format: use .json or .xml');
    return guard(reply, f.format, async () =>
      send(reply, f.format, 200, 'service_requests', 'request', await o311.tokenLookup(ctx, f.name)),
    );
  });

  app.post<{ Params: { file: string }; Body: Record<string, string> | undefined }>(
    '/open311/v2/:file',
    { schema: hide, config: { rateLimit: { max: 60, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const f = split(req.params.file);
      if (!f || f.name !== 'requests') return sendError(reply, f?.format ?? 'json', 404, 'POST goes to requests.json or requests.xml');
      return guard(reply, f.format, async () =>
        send(reply, f.format, 201, 'service_requests', 'request', await o311.postRequest(ctx, { ...(req.body ?? {}) })),
      );
    },
  );
}
