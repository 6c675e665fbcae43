export * from './call';
export * from './source';
export * from './state';
