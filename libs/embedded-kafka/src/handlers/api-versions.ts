// ApiVersions (key 18), v0-v3, including the KIP-511 answer to a version the broker does not know.
import { ApiKey, ErrorCode, SUPPORTED_VERSIONS } from '../protocol/api';
import { Reader } from '../protocol/reader';
import { Writer } from '../protocol/writer';
import { RequestContext } from './context';

export function handleApiVersions(request: Reader, context: RequestContext): Writer {
  const version = context.header.apiVersion;
  const response = new Writer();
  if (version > (SUPPORTED_VERSIONS.get(ApiKey.ApiVersions)?.max ?? 0)) {
    // KIP-511: answer in v0 layout with UNSUPPORTED_VERSION and, as Kafka does, only ApiVersions' own range,
    // so the client retries with a version both know.
    const own = SUPPORTED_VERSIONS.get(ApiKey.ApiVersions) as { min: number; max: number };
    response.int16(ErrorCode.UNSUPPORTED_VERSION);
    response.array([own], (w, range) => w.int16(ApiKey.ApiVersions).int16(range.min).int16(range.max));
    return response;
  }
  const apis = [...SUPPORTED_VERSIONS.entries()].sort(([a], [b]) => a - b);
  if (version >= 3) {
    request.compactString(); // client software name
    request.compactString(); // client software version
    request.taggedFields();
    response.int16(ErrorCode.NONE);
    response.compactArray(apis, (w, [key, range]) => w.int16(key).int16(range.min).int16(range.max).emptyTaggedFields());
    response.int32(0);
    response.emptyTaggedFields();
    return response;
  }
  response.int16(ErrorCode.NONE);
  response.array(apis, (w, [key, range]) => w.int16(key).int16(range.min).int16(range.max));
  if (version >= 1) response.int32(0);
  return response;
}
