/**
 * What the API answers when something goes wrong: `{"error": "..."}` with the status the platforms
 * use (API.md), never a stack. A UserError's kind decides the status, as it decides the CLI's exit
 * code (cli.ts); a request the schemas refuse is a 400 naming the field.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorObject } from 'ajv';
import { UserError, type ErrorKind } from '../errors.js';

export const STATUS_OF_KIND: Record<ErrorKind, number> = {
  usage: 400,
  'not-found': 404,
  conflict: 409,
  failed: 500,
  'engine-unreachable': 503,
  timeout: 504,
};

/** An error the handlers throw to answer with a status of their own (405, 408 ...). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
  }
}

/** JSON Schema's type names in words: "an integer", "an object", "a string", "null". */
const withArticle = (type: string) => (type === 'null' ? 'null' : `${/^[aeiou]/.test(type) ? 'an' : 'a'} ${type}`);

const fieldPath = (error: ErrorObject): string => error.instancePath.replace(/^\//, '').replaceAll('/', '.');

/** ajv's findings in words that name the field: "unknown field 'privilegd'", "target_num_containers must be an integer". */
export const describeValidationError = (part: string, error: ErrorObject): string => {
  const field = fieldPath(error);
  const where = field ? `${part} field '${field}'` : `the ${part}`;
  switch (error.keyword) {
    case 'additionalProperties':
      return `unknown ${part} field '${[field, error.params.additionalProperty].filter(Boolean).join('.')}'`;
    case 'required':
      return `${part} field '${[field, error.params.missingProperty].filter(Boolean).join('.')}' is required`;
    case 'type':
      return `${where} must be ${String(error.params.type).split(',').map(withArticle).join(' or ')}`;
    case 'enum':
      return `${where} must be one of ${(error.params.allowedValues as unknown[]).join(', ')}`;
    default:
      return `${where} ${error.message ?? 'is not valid'}`;
  }
};

type ValidationFailure = FastifyError & { validation: ErrorObject[]; validationContext: string };

const isValidationFailure = (error: unknown): error is ValidationFailure =>
  typeof error === 'object' && error !== null && Array.isArray((error as { validation?: unknown }).validation);

export const errorReply = (reply: FastifyReply, statusCode: number, message: string) =>
  reply.code(statusCode).type('application/json; charset=utf-8').send({ error: message });

/** Fastify's error handler. `logBug` gets what is a bug in svc (its stack), never the user's mistakes. */
export const answerError =
  (logBug: (message: string) => void) =>
  (error: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (error instanceof UserError) {
      // The message alone: hints name the command line's flags.
      return errorReply(reply, STATUS_OF_KIND[error.kind], error.message);
    }
    if (error instanceof HttpError) return errorReply(reply, error.statusCode, error.message);
    if (isValidationFailure(error)) {
      const part = error.validationContext === 'querystring' ? 'query' : error.validationContext;
      return errorReply(reply, 400, describeValidationError(part, error.validation[0]));
    }
    const status = (error as FastifyError).statusCode;
    if (typeof status === 'number' && status >= 400 && status < 500)
      return errorReply(reply, status, (error as Error).message);
    logBug(`${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
    return errorReply(reply, 500, 'internal error in svc (its log has the details)');
  };
