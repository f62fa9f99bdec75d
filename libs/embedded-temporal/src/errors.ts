// gRPC status errors the server answers with; each names what went wrong so a caller can act on it.
import { Metadata, status } from '@grpc/grpc-js';
import { encodeMessage, packAny } from './proto';

export class ServiceError extends Error {
  constructor(
    readonly code: status,
    message: string,
    readonly details: { typeName: string; value: object }[] = [],
  ) {
    super(message);
  }

  toGrpc(): { code: status; details: string; metadata: Metadata } {
    const metadata = new Metadata();
    if (this.details.length > 0) {
      const statusBytes = encodeMessage('google.rpc.Status', {
        code: this.code,
        message: this.message,
        details: this.details.map((d) => packAny(d.typeName, d.value)),
      });
      metadata.set('grpc-status-details-bin', statusBytes);
    }
    return { code: this.code, details: this.message, metadata };
  }
}

export const invalidArgument = (message: string): ServiceError => new ServiceError(status.INVALID_ARGUMENT, message);
export const notFound = (message: string): ServiceError => new ServiceError(status.NOT_FOUND, message);
export const unimplemented = (feature: string): ServiceError =>
  new ServiceError(status.UNIMPLEMENTED, `${feature} is not supported by the embedded Temporal server`);
export const failedPrecondition = (message: string): ServiceError => new ServiceError(status.FAILED_PRECONDITION, message);

export function namespaceNotFound(namespace: string): ServiceError {
  return new ServiceError(
    status.NOT_FOUND,
    `Namespace ${namespace} is not found: the embedded Temporal server serves only the "default" namespace`,
    [{ typeName: 'temporal.api.errordetails.v1.NamespaceNotFoundFailure', value: { namespace } }],
  );
}

export function workflowAlreadyStarted(startRequestId: string, runId: string): ServiceError {
  return new ServiceError(status.ALREADY_EXISTS, 'Workflow execution is already running', [
    { typeName: 'temporal.api.errordetails.v1.WorkflowExecutionAlreadyStartedFailure', value: { startRequestId, runId } },
  ]);
}
