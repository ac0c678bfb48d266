/**
 * Starts the controller: `npm start` (config/commune.yaml, or the example when it is missing),
 * or `tsx controller/main.ts --config path/to/commune.yaml`.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { buildController } from './app.js';
import { loadSettings } from './settings.js';

const { values } = parseArgs({ options: { config: { type: 'string' } } });
const configPath = values.config ?? process.env.TT_CONFIG ?? (existsSync('config/commune.yaml') ? 'config/commune.yaml' : 'config/commune.example.yaml');

const settings = loadSettings(configPath);
const controller = buildController(settings);
const { adminTokenFile } = await controller.start();

const out = (vi: string, en: string) => console.log(`${vi}\n  ${en}`);
out(`Bộ điều khiển truyền thanh "${settings.commune.name}" đã chạy (cấu hình: ${configPath}).`, `Controller running (config: ${configPath}).`);
out(`  API và tài liệu: ${controller.httpUrl}/docs`, `API and docs: ${controller.httpUrl}/docs`);
out(`  Máy chủ MQTT: ${controller.mqttUrl}${controller.broker ? ' (nhúng)' : ''}`, `MQTT broker: ${controller.mqttUrl}${controller.broker ? ' (embedded)' : ''}`);
if (adminTokenFile) {
  out(`  Mã truy cập quản trị đầu tiên đã được tạo trong tệp ${adminTokenFile} (chỉ chủ sở hữu đọc được).`,
    `The first administrator token was written to ${adminTokenFile} (readable by its owner only).`);
}

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    controller.stop().then(() => process.exit(0), () => process.exit(1));
  });
}
