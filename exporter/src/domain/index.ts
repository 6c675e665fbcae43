export * from './call';
export * from './state';
