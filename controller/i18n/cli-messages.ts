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
} as const satisfies Catalogue;
