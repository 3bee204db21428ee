export * from './config-error.js';
export * from './server-config.js';
export * from './properties.js';
export * from './server-spec.js';
export * from './parse-zoo-cfg.js';
export * from './load-config.js';
