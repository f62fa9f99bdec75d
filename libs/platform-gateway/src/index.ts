// The public face of libs/platform-gateway.
export * from './platform-gateway';
export * from './sent-messages-log';
export * from './channels';
export * from './logging-platform-gateway';
