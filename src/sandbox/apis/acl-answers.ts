// The ACL APIs' shared answer: the sandbox runs without an authorizer, so, as a Kafka broker without
// authorizer.class.name, it refuses every ACL request with SECURITY_DISABLED.
import { ErrorCode } from '../../wire/error-codes.js';

export const NO_AUTHORIZER = { errorCode: ErrorCode.SECURITY_DISABLED, errorMessage: 'No Authorizer is configured.' } as const;
