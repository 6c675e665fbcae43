import { apiUrlProblem, settingsPayload } from './settings';

const form = {
  exporterUrl: 'http://localhost:10027',
  apiUrl: 'http://switchboard:10027/',
  controlToken: '',
  resetToken: false,
};

describe('app settings payload', () => {
  it('keeps the stored token when none is typed: no secureJsonData at all', () => {
    const p = settingsPayload({ enabled: true, pinned: false, jsonData: { exporterUrl: 'old' } }, form);
    expect(p).toEqual({
      enabled: true,
      pinned: false,
      // the trailing slash goes: the proxy route appends /api/v1/calls
      jsonData: { exporterUrl: 'http://localhost:10027', apiUrl: 'http://switchboard:10027' },
    });
    expect('secureJsonData' in p).toBe(false);
  });

  it('sends a new token, and an empty one after a reset', () => {
    expect(settingsPayload({}, { ...form, controlToken: ' control-token-0123456789 ' }).secureJsonData).toEqual({
      controlToken: 'control-token-0123456789',
    });
    expect(settingsPayload({}, { ...form, resetToken: true }).secureJsonData).toEqual({ controlToken: '' });
  });

  it('a URL Grafana can proxy to, or empty', () => {
    expect(apiUrlProblem('')).toBeUndefined();
    expect(apiUrlProblem('http://switchboard:10027')).toBeUndefined();
    expect(apiUrlProblem('switchboard:10027')).toMatch(/http/);
    expect(apiUrlProblem('not a url')).toMatch(/Not a URL/);
    expect(apiUrlProblem('http://x:1/?a=1')).toMatch(/without a query/);
  });
});
