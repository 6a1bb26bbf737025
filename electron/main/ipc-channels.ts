/** The only two IPC channels: request/response for contract methods, and change notifications. */
export const IPC_INVOKE = 'reverie:invoke';
export const IPC_CHANGE = 'reverie:change';
