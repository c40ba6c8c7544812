import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, errorBody, preferredLang, type ErrorCode } from './errors.ts';

export function langOf(request: FastifyRequest) {
  return preferredLang(request.headers['accept-language']);
}

export function sendError(request: FastifyRequest, reply: FastifyReply, code: ErrorCode, status: number, details?: unknown) {
  return reply.status(status).send(errorBody(code, langOf(request), details));
}

/** Maps every failure — ours, Fastify's, the validator's — to { error: { code, message, details } }. */
export function installErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | AppError, request, reply) => {
    if (err instanceof AppError) {
      return sendError(request, reply, err.code, err.status, err.details);
    }
    const e = err as FastifyError;
    if (e.validation) {
      const details = {
        context: e.validationContext,
        problems: e.validation.map((v) => ({
          path: v.instancePath || (v.params as { missingProperty?: string })?.missingProperty || '',
          message: v.message,
        })),
      };
      return sendError(request, reply, 'VALIDATION_FAILED', 400, details);
    }
    switch (e.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return sendError(request, reply, 'MALFORMED_JSON', 400);
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return sendError(request, reply, 'PAYLOAD_TOO_LARGE', 413);
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return sendError(request, reply, 'UNSUPPORTED_MEDIA_TYPE', 415);
    }
    if (e.statusCode === 429) return sendError(request, reply, 'RATE_LIMITED', 429);
    if (e instanceof SyntaxError && e.statusCode === 400) return sendError(request, reply, 'MALFORMED_JSON', 400);
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return sendError(request, reply, 'VALIDATION_FAILED', e.statusCode, { reason: e.message });
    }
    request.log.error({ err: e }, 'unhandled error');
    return sendError(request, reply, 'INTERNAL', 500);
  });
}
