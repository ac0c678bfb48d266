import { describe, expect, it } from 'vitest';
import { loadSettings, parseSettings } from '../../controller/settings.js';

describe('settings', () => {
  it('reads the shipped example: ten hamlets, embedded broker, Asia/Ho_Chi_Minh', () => {
    const s = loadSettings('config/commune.example.yaml', {});
    expect(s.hamlets).toHaveLength(10);
    // Every hamlet is placed, so the receivers' map works with the example as shipped.
    expect(s.hamlets.filter((h) => h.lat === undefined || h.lon === undefined)).toEqual([]);
    expect(s.commune.timezone).toBe('Asia/Ho_Chi_Minh');
    expect(s.mqtt.external_url).toBeNull();
    expect(s.media.loudness_lufs).toBe(-16);
  });

  it('lets environment variables override the file', () => {
    const s = loadSettings('config/commune.example.yaml', {
      TT_HTTP_PORT: '9999',
      TT_MQTT_URL: 'mqtt://10.0.0.1:1883',
      TT_DATA_DIR: '/srv/tt',
    });
    expect(s.http.port).toBe(9999);
    expect(s.mqtt.external_url).toBe('mqtt://10.0.0.1:1883');
    expect(s.data_dir).toBe('/srv/tt');
  });

  it('says which key is wrong, in both languages', () => {
    expect(() => parseSettings({ commune: { id: 'Xã Có Dấu', name: 'x' } })).toThrow(
      /Cấu hình không hợp lệ[\s\S]*commune\.id/,
    );
  });
});
