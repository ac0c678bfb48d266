/**
 * The words of the tools that talk to a running controller from a terminal: enrolment
 * (`npm run enrol`, controller/cli/enrol.ts) and the simulator (`npm run simulate`). Part of
 * `messages`; the tools print Vietnamese, then English.
 */
import type { Catalogue } from './messages.js';

export const cliMessages = {
  cli_controller_unreachable: {
    vi: 'Không kết nối được bộ điều khiển tại {url} ({reason}). Bộ điều khiển đã chạy chưa (npm start)? Địa chỉ lấy từ cấu hình {config}; chỉ địa chỉ khác bằng --url.',
    en: 'Cannot reach the controller at {url} ({reason}). Is it running (npm start)? The address comes from the config {config}; give another with --url.',
  },
  cli_api_refused: {
    vi: 'Bộ điều khiển từ chối (HTTP {status}): {message}',
    en: 'The controller refused (HTTP {status}): {message}',
  },
  cli_token_missing: {
    vi: 'Cần mã truy cập API: --token-file TỆP hoặc biến TT_TOKEN (tạo: npm run -s admin -- token --name <tên> --role technician).',
    en: 'An API token is needed: --token-file FILE or TT_TOKEN (make one: npm run -s admin -- token --name <name> --role technician).',
  },
  cli_option_missing: {
    vi: 'Thiếu {option}. Xem --help.',
    en: '{option} is required. See --help.',
  },
  cli_failed: {
    vi: 'Không thực hiện được: {detail}',
    en: 'Failed: {detail}',
  },
  cli_enrol_usage: {
    vi: `Cấp thông tin cho một cụm loa và ghi tệp cấu hình của nó (chế độ 0600), chỉ khi thành công:
  npm run enrol -- --id rx-thon-3-cho --hamlet thon-3 --name "Cụm loa chợ thôn Nam" [--out agent.json]
  npm run enrol -- --id rx-thon-3-cho --existing [--out agent.json]   (cụm loa đã có: trong tệp cấu hình, hoặc cấp lại; thông tin cũ hết hiệu lực ngay)
  --token-file TỆP hoặc TT_TOKEN: mã truy cập có quyền receivers:write (vai trò technician hoặc admin)
  --url URL: địa chỉ bộ điều khiển (mặc định: theo cấu hình --config / TT_CONFIG, như npm start)
  --force: ghi đè tệp --out đã có`,
    en: `Enrols a receiver and writes its config file (mode 0600), only when it succeeds:
  npm run enrol -- --id rx-thon-3-cho --hamlet thon-3 --name "Cụm loa chợ thôn Nam" [--out agent.json]
  npm run enrol -- --id rx-thon-3-cho --existing [--out agent.json]   (a receiver that exists: listed in the config, or enrolled before; its old secret stops working at once)
  --token-file FILE or TT_TOKEN: an API token with receivers:write (role technician or admin)
  --url URL: the controller's address (default: from the config --config / TT_CONFIG, as npm start reads it)
  --force: overwrite an existing --out file`,
  },
  cli_enrol_out_exists: {
    vi: 'Tệp {file} đã có (có thể là thông tin của một cụm loa khác): chưa cấp gì. Chọn --out khác, hoặc thêm --force để ghi đè.',
    en: "The file {file} already exists (it may hold another receiver's credentials): nothing was enrolled. Choose another --out, or add --force to overwrite it.",
  },
  cli_enrol_out_unwritable: {
    vi: 'Không ghi được vào {file} ({detail}): chưa cấp gì.',
    en: 'Cannot write {file} ({detail}): nothing was enrolled.',
  },
  cli_enrol_exists_hint: {
    vi: 'Nếu đúng là cụm loa này (có trong tệp cấu hình, hoặc cần cấp lại), thêm --existing: thông tin cũ của nó hết hiệu lực ngay.',
    en: 'If it is this very receiver (listed in the config, or to be enrolled again), add --existing: its old secret stops working at once.',
  },
  cli_enrol_written: {
    vi: 'Đã cấp cụm loa {id} ({hamlet}) và ghi {file} (chỉ chủ sở hữu đọc được). Chép tệp này sang cụm loa và chạy: npm run agent -- --config {file}',
    en: 'Enrolled receiver {id} ({hamlet}) and wrote {file} (readable by its owner only). Copy it to the receiver and run: npm run agent -- --config {file}',
  },
  // npm start (controller/main.ts): what runs, where, and where its data is kept.
  start_running: {
    vi: 'Bộ điều khiển truyền thanh "{commune}" đã chạy (cấu hình: {config}).',
    en: 'Controller of "{commune}" running (config: {config}).',
  },
  start_data_dir: {
    vi: '  Dữ liệu (cơ sở dữ liệu, âm thanh, khóa): {dir}. Sao lưu: npm run admin -- backup --out <thư mục>',
    en: '  Data (database, audio, keys): {dir}. Back up: npm run admin -- backup --out <directory>',
  },
  start_console: { vi: '  Bảng điều khiển: {url}/', en: '  Console: {url}/' },
  start_docs: { vi: '  API và tài liệu: {url}/docs', en: '  API and docs: {url}/docs' },
  start_public: { vi: '  Trang tin công khai: {url}/public/', en: '  Public page: {url}/public/' },
  start_broker: { vi: '  Máy chủ MQTT: {url}', en: '  MQTT broker: {url}' },
  start_broker_embedded: { vi: '  Máy chủ MQTT: {url} (nhúng)', en: '  MQTT broker: {url} (embedded)' },
  start_admin_created: {
    vi: '  Đã tạo tài khoản quản trị "{username}".',
    en: '  Created the administrator account "{username}".',
  },
  start_admin_password: {
    vi: '  Mật khẩu của tài khoản này nằm trong tệp {file} (chỉ chủ sở hữu đọc được); hãy đổi sau khi đăng nhập.',
    en: '  Its password is in {file} (readable by its owner only); change it after logging in.',
  },
  start_token_hint: {
    vi: '  Tạo mã truy cập API: npm run admin -- token --name <tên> --role <vai trò>',
    en: '  Create an API token: npm run admin -- token --name <name> --role <role>',
  },
} as const satisfies Catalogue;
