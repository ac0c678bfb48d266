/**
 * The bridge's words (npm run bridge, firmware-bridge/bridge/): its usage, what is wrong in its
 * configuration file and how to fix it, and a stream port it cannot open. Why a value was refused
 * reuses the request checks' words (invalid_* in field-messages.ts); these add where, and how to
 * fix. Part of `messages`.
 */
import type { Catalogue } from './messages.js';

export const bridgeMessages = {
  agent_usage: {
    vi: `Phần mềm cụm loa chạy trên thiết bị thu ở thôn:
  npm run agent -- --config /etc/truyen-thanh-agent.json
  --config TỆP: tệp cấu hình JSON mà lệnh đăng ký (npm run enrol) đã ghi (mặc định /etc/truyen-thanh-agent.json)
  --help: in hướng dẫn này
Xem firmware-bridge/README.md.`,
    en: `The receiver agent, run on a hamlet's loudspeaker receiver:
  npm run agent -- --config /etc/truyen-thanh-agent.json
  --config FILE: the JSON configuration enrolment (npm run enrol) wrote (default /etc/truyen-thanh-agent.json)
  --help: print this help
See firmware-bridge/README.md.`,
  },
  agent_running: {
    vi: 'Cụm loa {receiver} (thôn {hamlet}) đang chạy; máy chủ tin nhắn {broker}',
    en: 'Receiver {receiver} (hamlet {hamlet}) running; broker {broker}',
  },
  agent_restart_in_process: {
    vi: 'Khởi động lại cụm loa (không có trình quản lý dịch vụ: khởi động lại trong cùng tiến trình). Bản cập nhật phần mềm chỉ chạy sau lần khởi động kế tiếp; hãy chạy cụm loa bằng systemd (xem README).',
    en: 'Restarting the agent (no service manager: restarted inside this process). A software update runs only from the next start; run the agent under systemd (see the README).',
  },
  agent_state_dir_in_use: {
    vi: 'Không khởi động: một phần mềm cụm loa khác (tiến trình {pid}) đang dùng thư mục trạng thái {dir}. Hai tiến trình cùng một cụm loa sẽ tranh nhau kết nối và ghi đè trạng thái của nhau; hãy dừng tiến trình kia trước (dừng dịch vụ của nó, hoặc kill {pid}).',
    en: "Not started: another receiver agent (process {pid}) is using the state directory {dir}. Two processes of one receiver would take its connection from each other and overwrite each other's state; stop the other one first (stop its service, or kill {pid}).",
  },
  simulator_state_dir_in_use: {
    vi: 'Không khởi động: một trình mô phỏng khác (tiến trình {pid}) đang dùng thư mục trạng thái {dir}. Hãy dừng nó trước (Ctrl-C ở cửa sổ của nó, hoặc kill {pid}). Một trình mô phỏng thứ hai, dù ở thư mục khác, sẽ đăng ký lại chính các cụm loa đó và lấy mất chúng của trình kia; để chạy thêm cụm loa, hãy cho trình này --hamlets với những thôn trình kia không chạy và --state-dir riêng.',
    en: 'Not started: another simulator (process {pid}) is using the state directory {dir}. Stop it first (Ctrl-C in its window, or kill {pid}). A second simulator, even in another directory, would enrol the same receivers again and take them from the first; to run more receivers, give this one --hamlets with hamlets the first one does not run and its own --state-dir.',
  },
  state_dir_unlockable: {
    vi: 'Cảnh báo: không ghi được tệp khóa trong thư mục trạng thái {dir} ({error}); không có gì ngăn một tiến trình thứ hai dùng cùng thư mục.',
    en: 'Warning: no lock file could be written in the state directory {dir} ({error}); nothing stops a second process from using the same directory.',
  },
  bridge_usage: {
    vi: `Cầu nối đặt các thiết bị không chạy được phần mềm cụm loa (loa RTP, loa kéo luồng, máy phát FM) sau giao thức truyền thanh:
  npm run bridge -- --config /etc/truyen-thanh-bridge.yaml
  --config TỆP: tệp cấu hình YAML hoặc JSON (mặc định /etc/truyen-thanh-bridge.yaml; mẫu: config/bridge.example.yaml)
  --help: in hướng dẫn này
Nhật ký ghi ra dạng JSON từng dòng; mức chi tiết đặt bằng biến TT_BRIDGE_LOG (mặc định info). Xem firmware-bridge/README.md.`,
    en: `The bridge puts devices that cannot run the receiver agent (RTP speakers, stream speakers, FM transmitters) behind the broadcast protocol:
  npm run bridge -- --config /etc/truyen-thanh-bridge.yaml
  --config FILE: the YAML or JSON configuration (default /etc/truyen-thanh-bridge.yaml; example: config/bridge.example.yaml)
  --help: print this
Logs are JSON lines; set the level with TT_BRIDGE_LOG (default info). See firmware-bridge/README.md.`,
  },
  bridge_config_invalid: {
    vi: 'Tệp cấu hình cầu nối {file} có {count} lỗi. Sửa rồi chạy lại (mẫu: config/bridge.example.yaml).',
    en: 'The bridge configuration {file} has {count} problem(s). Fix them and start again (example: config/bridge.example.yaml).',
  },
  bridge_line: { vi: 'dòng {line}', en: 'line {line}' },
  bridge_problem: { vi: 'Lỗi: trường này {what}.', en: 'Problem: this field {what}.' },
  bridge_problem_fix: {
    vi: 'Lỗi: trường này {what}. Cách sửa: {fix}',
    en: 'Problem: this field {what}. How to fix: {fix}',
  },
  bridge_fix_missing: {
    vi: 'thêm "{key}" ({expected}); xem config/bridge.example.yaml.',
    en: 'add "{key}" ({expected}); see config/bridge.example.yaml.',
  },
  bridge_fix_type: { vi: 'ghi {expected}.', en: 'write {expected}.' },
  bridge_type_string: { vi: 'một chuỗi chữ', en: 'a text' },
  bridge_type_number: { vi: 'một số', en: 'a number' },
  bridge_type_int: { vi: 'một số nguyên', en: 'a whole number' },
  bridge_type_boolean: { vi: 'true hoặc false', en: 'true or false' },
  bridge_type_array: { vi: 'một danh sách ([...] hoặc các dòng "- ")', en: 'a list ([...] or lines "- ")' },
  bridge_type_object: { vi: 'một nhóm trường "khóa: giá trị"', en: 'a mapping of "key: value"' },
  bridge_expect_host_port: {
    vi: 'ghi dạng máy:cổng, ví dụ 239.192.10.1:5004 (IPv6: [ff05::1]:5004).',
    en: 'write host:port, e.g. 239.192.10.1:5004 (IPv6: [ff05::1]:5004).',
  },
  bridge_expect_mount: {
    vi: 'ghi một đường dẫn bắt đầu bằng "/", chỉ gồm chữ, số và . _ - /, ví dụ /thon-2.mp3.',
    en: 'write a path starting with "/", of letters, digits and . _ - / only, e.g. /thon-2.mp3.',
  },
  bridge_expect_mp3_bitrate: {
    vi: 'chọn một tốc độ bit MP3: 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256 hoặc 320.',
    en: 'choose an MP3 bitrate: 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256 or 320.',
  },
  bridge_expect_ipv4: {
    vi: 'ghi địa chỉ IPv4 của một card mạng trên máy này, ví dụ 192.168.10.5 (xem: ip -4 addr), hoặc bỏ trường này.',
    en: 'write the IPv4 address of a network interface on this host, e.g. 192.168.10.5 (see: ip -4 addr), or leave the field out.',
  },
  bridge_config_unreadable: {
    vi: 'Không đọc được tệp cấu hình cầu nối {file} ({error}). Chỉ tệp khác bằng --config.',
    en: 'Cannot read the bridge configuration {file} ({error}). Name another with --config.',
  },
  bridge_config_syntax: {
    vi: 'Lỗi cú pháp ({error}). Kiểm tra thụt lề (dấu cách, không dùng tab), dấu ":" và dấu ngoặc.',
    en: 'Syntax error ({error}). Check the indentation (spaces, not tabs), the colons and the brackets.',
  },
  bridge_agent_config_unreadable: {
    vi: 'Không đọc được tệp agent_config {file} ({error}). Lưu agent_config mà bộ điều khiển trả về khi đăng ký nhóm này (POST /api/receivers), chế độ 0600; đường dẫn tính từ thư mục của tệp cấu hình cầu nối.',
    en: 'Cannot read the agent_config file {file} ({error}). Save the agent_config the controller answered when this group was enrolled (POST /api/receivers), mode 0600; the path is relative to the bridge file.',
  },
  bridge_agent_config_invalid: {
    vi: 'Tệp agent_config {file} không hợp lệ ở {field}: {what}. Chép lại nguyên văn agent_config mà bộ điều khiển trả về.',
    en: 'The agent_config file {file} is not valid at {field}: it {what}. Copy the agent_config the controller answered again, unchanged.',
  },
  bridge_receiver_twice: {
    vi: 'Cụm loa {receiver} đã dùng cho một nhóm khác: mỗi nhóm cần một lần đăng ký riêng (POST /api/receivers) và tệp agent_config của riêng nó.',
    en: 'Receiver {receiver} is used by another group already: each group needs its own enrolment (POST /api/receivers) and its own agent_config file.',
  },
  bridge_stream_port_in_use: {
    vi: 'Cầu nối không mở được máy chủ luồng tại {host}:{port}: cổng {port} đang được một chương trình khác dùng (có thể một cầu nối khác đang chạy). Cách sửa: dừng chương trình đó (xem là chương trình nào: ss -ltnp "sport = :{port}"), hoặc đổi stream_server.port trong {file} sang một cổng còn trống rồi đặt lại địa chỉ trên các loa kéo luồng.',
    en: 'The bridge cannot open its stream server on {host}:{port}: port {port} is in use by another program (perhaps another bridge already running). How to fix: stop that program (to see which: ss -ltnp "sport = :{port}"), or set stream_server.port in {file} to a free port and point the stream speakers at it.',
  },
  bridge_stream_port_denied: {
    vi: 'Cầu nối không được phép mở cổng {port} tại {host} (cổng dưới 1024 cần quyền quản trị). Cách sửa: đổi stream_server.port trong {file} sang một cổng từ 1024 trở lên, ví dụ 8000.',
    en: 'The bridge is not allowed to open port {port} on {host} (ports below 1024 need administrator rights). How to fix: set stream_server.port in {file} to a port of 1024 or more, e.g. 8000.',
  },
  bridge_stream_host_unavailable: {
    vi: 'Địa chỉ {host} không thuộc máy này nên cầu nối không mở được máy chủ luồng tại {host}:{port}. Cách sửa: đặt stream_server.host trong {file} là địa chỉ một card mạng của máy này (xem: ip addr), hoặc 0.0.0.0 để nghe trên mọi card.',
    en: "The address {host} is not one of this host's, so the bridge cannot open its stream server on {host}:{port}. How to fix: set stream_server.host in {file} to the address of one of this host's network interfaces (see: ip addr), or 0.0.0.0 to listen on all of them.",
  },
  bridge_stream_listen_failed: {
    vi: 'Cầu nối không mở được máy chủ luồng tại {host}:{port} ({error}). Kiểm tra stream_server trong {file}.',
    en: 'The bridge cannot open its stream server on {host}:{port} ({error}). Check stream_server in {file}.',
  },
  bridge_value_not_accepted: { vi: 'có giá trị không dùng được', en: 'has a value that is not accepted' },
  bridge_expect_port: {
    vi: 'ghi một cổng từ 1 đến 65535 sau dấu ":", ví dụ 239.192.10.1:5004.',
    en: 'write a port from 1 to 65535 after the ":", e.g. 239.192.10.1:5004.',
  },
  bridge_expect_stream_port: {
    vi: 'ghi một cổng từ 1 đến 65535, ví dụ 8000 (hoặc 0: một cổng còn trống bất kỳ, ghi trong nhật ký).',
    en: 'write a port from 1 to 65535, e.g. 8000 (or 0: any free port, written in the log).',
  },
  bridge_expect_packet_ms_g711: {
    vi: 'với codec pcmu và pcma, chọn thời lượng gói (ms): 10, 20, 30, 40, 50 hoặc 60 (thường dùng 20).',
    en: 'for the pcmu and pcma codecs, choose a packet time (ms) of 10, 20, 30, 40, 50 or 60 (20 is usual).',
  },
  bridge_expect_packet_ms_opus: {
    vi: 'với codec opus, chọn thời lượng gói (ms): 10, 20, 40 hoặc 60 (độ dài khung Opus; thường dùng 20).',
    en: 'for the opus codec, choose a packet time (ms) of 10, 20, 40 or 60 (the Opus frame lengths; 20 is usual).',
  },
  bridge_state_dir_unusable: {
    vi: 'Cầu nối không dùng được thư mục trạng thái {dir} của cụm loa {receiver}: {reason}. Cách sửa: đặt state_root (hoặc state_dir của nhóm này) trong {file} là một thư mục ghi được, ví dụ /var/lib/truyen-thanh-bridge (tạo trước: sudo install -d -m 700 -o <tài khoản chạy cầu nối> /var/lib/truyen-thanh-bridge).',
    en: "The bridge cannot use the state directory {dir} of receiver {receiver}: {reason}. How to fix: set state_root (or this group's state_dir) in {file} to a writable directory, e.g. /var/lib/truyen-thanh-bridge (create it first: sudo install -d -m 700 -o <the bridge's user> /var/lib/truyen-thanh-bridge).",
  },
  bridge_state_reason_not_dir: {
    vi: 'một phần của đường dẫn là một tệp, không phải thư mục',
    en: 'part of the path is a file, not a directory',
  },
  bridge_state_reason_denied: {
    vi: 'không được phép ghi vào đó (quyền truy cập, hoặc ổ đĩa chỉ đọc)',
    en: 'writing there is not allowed (permissions, or a read-only disk)',
  },
  bridge_state_reason_cannot_create: {
    vi: 'không tạo được thư mục ở đó (như trong /proc hay /sys)',
    en: 'no directory can be made there (as in /proc or /sys)',
  },
  bridge_state_reason_other: { vi: 'lỗi {error}', en: 'error {error}' },
  bridge_fm_key_line_missing: {
    vi: 'Cảnh báo: cổng nối tiếp {path} dùng để bật máy phát FM của cụm loa {receiver} chưa có trên máy này. Cầu nối vẫn chạy và thử mở lại cổng ở mỗi bản tin; đến lúc đó nhóm này không phát được. Cách sửa: cắm bộ chuyển USB–nối tiếp (xem: ls /dev/ttyUSB* /dev/serial/by-id/), hoặc sửa ptt.path trong {file}.',
    en: 'Warning: the serial port {path} that keys the FM transmitter of receiver {receiver} is not on this host. The bridge runs on and tries the port again at each item; until then this group cannot play. How to fix: plug in the USB serial adapter (see: ls /dev/ttyUSB* /dev/serial/by-id/), or correct ptt.path in {file}.',
  },
  agent_config_unreadable: {
    vi: 'Không đọc được tệp cấu hình cụm loa {file} ({error}). Chỉ đúng tệp bằng --config: tệp agent_config mà bộ điều khiển trả về khi đăng ký cụm loa (POST /api/receivers).',
    en: 'Cannot read the agent configuration {file} ({error}). Name the right file with --config: the agent_config the controller answered when the receiver was enrolled (POST /api/receivers).',
  },
  // The receiver agent (firmware-bridge/agent/players.ts): the sound output cannot be opened.
  agent_audio_output_failed: {
    vi: 'Không mở được đầu ra âm thanh {output}: kiểm tra card âm thanh đã cắm và được nhận (aplay -l), và player.output_device trong cấu hình cụm loa',
    en: 'Cannot open the sound output {output}: check the sound card is plugged in and seen (aplay -l), and player.output_device in the agent config',
  },
} as const satisfies Catalogue;
