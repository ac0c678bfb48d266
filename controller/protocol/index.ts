export * from './topics.js';
export * from './messages.js';
export * from './urgency.js';
export * from './signing.js';
export * from './agent-config.js';
