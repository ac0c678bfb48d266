/** The proof verifier's words (npm run verify-proof, npm run admin -- verify). Part of `messages`. */
import type { Catalogue } from './messages.js';

export const proofMessages = {
  proof_intact: {
    vi: 'Bằng chứng nguyên vẹn. Xác nhận phát: {acks}; dòng nhật ký: {audit}; đầu chuỗi đã ký: {heads}; bản sao đối chiếu khớp: {anchors}.',
    en: 'The proof is intact. Acknowledgements: {acks}; audit entries: {audit}; signed heads: {heads}; anchored copies matching: {anchors}.',
  },
  proof_broken: {
    vi: 'Bằng chứng KHÔNG nguyên vẹn. Số vấn đề: {count}.',
    en: 'The proof is NOT intact. Problems found: {count}.',
  },
  proof_bundle_header: {
    vi: 'Gói bằng chứng của {commune}, xuất lúc {at}.',
    en: 'Proof bundle of {commune}, exported at {at}.',
  },
  proof_newer_anchors: {
    vi: 'CHƯA xác nhận đầy đủ: tệp kết thúc ở đầu chuỗi ký lúc {file_at}, còn {count} bản sao đối chiếu mới hơn (đến {anchor_at}) mà tệp không thể chứa. Phần sau {file_at} chưa được kiểm tra: hãy xuất gói mới rồi kiểm tra lại.',
    en: 'NOT fully confirmed: the file ends at a head signed at {file_at}, and {count, plural, one {# anchored copy is} other {# anchored copies are}} newer (up to {anchor_at}), which it cannot contain. Nothing after {file_at} was checked: export a fresh bundle and check again.',
  },
  proof_rejected_anchors: {
    vi: 'Bản sao đối chiếu KHÔNG mang chữ ký của xã, đã bỏ qua (hãy kiểm tra nguồn của chúng): {count} — {sources}.',
    en: 'Anchored copies NOT signed by the commune, set aside (check where they came from): {count} — {sources}.',
  },
  proof_details_json: {
    vi: 'Chi tiết từng vấn đề: chạy lại với --json.',
    en: 'Details of each problem: run again with --json.',
  },
  proof_keys_from_file: {
    vi: 'Chú ý: chưa đưa khóa công khai đã công bố (--keys), nên dùng khóa có trong tệp; khóa bị tráo sẽ không bị phát hiện.',
    en: "Note: no published keys given (--keys), so the file's own keys were used; a swapped key would not be caught.",
  },
  proof_no_anchors: {
    vi: 'Chú ý: không có bản sao đối chiếu (--anchors); việc xóa phần cuối cùng với các đầu chuỗi, hay viết lại bằng khóa của xã, chỉ phát hiện được khi đối chiếu.',
    en: "Note: no anchors given (--anchors); a tail deleted with its heads, or a rewrite with the commune's own key, is caught only by comparing with them.",
  },
  proof_report_ok: {
    vi: 'Tệp báo cáo {file}: chữ ký hợp lệ (khóa {key_id}).',
    en: 'Report file {file}: the signature is valid (key {key_id}).',
  },
  proof_report_bad: {
    vi: 'Tệp báo cáo {file}: chữ ký KHÔNG hợp lệ — tệp đã bị sửa, hoặc không phải do bộ điều khiển này ký.',
    en: 'Report file {file}: the signature is NOT valid — the file was altered, or this controller did not sign it.',
  },
  proof_report_signed_ok: {
    vi: 'Tệp báo cáo {file}: chữ ký trong tệp hợp lệ (khóa {key_id}); tệp không bị sửa từ khi xuất.',
    en: 'Report file {file}: the signature it carries is valid (key {key_id}); the file is unchanged since it was exported.',
  },
  proof_report_signed_unknown_key: {
    vi: 'Tệp báo cáo {file}: được ký bằng khóa {key_id}, KHÔNG phải khóa đã công bố của xã.',
    en: "Report file {file}: signed with the key {key_id}, which is NOT one of the commune's published keys.",
  },
  proof_report_unsigned: {
    vi: 'Tệp {file} không mang chữ ký (hoặc chữ ký đã bị gỡ). Tệp PDF, XLSX, DOCX và tệp CSV nhật ký phát (format=csv) xuất từ bộ điều khiển mang chữ ký trong tệp (CSV: ở dòng cuối); tệp JSON và CSV cho máy (csv_raw) thì không: hãy thêm --signature với giá trị X-Report-Signature khi tải về.',
    en: 'The file {file} carries no signature (or its signature was removed). PDF, XLSX and DOCX files and the as-run CSV for people (format=csv) exported by the controller carry one inside (the CSV in its last row); the JSON and the machine CSV (csv_raw) do not: add --signature with the X-Report-Signature it was downloaded with.',
  },
  proof_problem_deleted: { vi: 'Dòng đã bị xóa', en: 'Row deleted' },
  proof_problem_altered: { vi: 'Nội dung dòng đã bị sửa', en: 'Row content altered' },
  proof_problem_link_broken: {
    vi: 'Mắt xích với dòng trước bị đứt (dòng trước bị sửa, thay hoặc đổi chỗ)',
    en: 'Link to the row before broken (that row was altered, replaced or moved)',
  },
  proof_problem_forged: {
    vi: 'Chữ ký của cụm loa không khớp: xác nhận giả hoặc đã bị sửa',
    en: "The receiver's signature does not match: forged or altered acknowledgement",
  },
  proof_problem_unverifiable: {
    vi: 'Không kiểm tra được xác nhận: cụm loa không còn khóa nào trong lịch sử khóa',
    en: 'Acknowledgement cannot be checked: its receiver has no key left in the key history',
  },
  proof_problem_unsigned: {
    vi: 'Xác nhận không có chữ ký của cụm loa',
    en: "Acknowledgement without the receiver's signature",
  },
  proof_problem_head_missing: { vi: 'Thiếu đầu chuỗi đã ký', en: 'Signed head missing' },
  proof_problem_head_signed_by_unknown_key: {
    vi: 'Đầu chuỗi ký bằng khóa không được công bố',
    en: 'Head signed with a key that was not published',
  },
  proof_problem_head_forged: { vi: 'Chữ ký đầu chuỗi không hợp lệ', en: 'Head signature not valid' },
  proof_problem_head_out_of_order: { vi: 'Đầu chuỗi sai thứ tự', en: 'Head out of order' },
  proof_problem_tail_deleted: {
    vi: 'Phần cuối nhật ký đã bị xóa sau khi đầu chuỗi được ký',
    en: "The log's tail was deleted after a head was signed",
  },
  proof_problem_head_does_not_match_log: {
    vi: 'Nhật ký đã bị viết lại sau khi đầu chuỗi được ký',
    en: 'The log was rewritten after the head was signed',
  },
  proof_problem_anchor_not_signed_by_a_trusted_key: {
    vi: 'Bản sao đối chiếu không mang chữ ký hợp lệ của xã (bỏ qua)',
    en: 'Anchored copy not validly signed by the commune (ignored)',
  },
  proof_problem_anchored_head_missing: {
    vi: 'Đầu chuỗi mà bản sao đối chiếu giữ đã biến mất khỏi tệp',
    en: 'A head kept by an anchor is gone from the file',
  },
  proof_problem_anchored_head_differs: {
    vi: 'Đầu chuỗi trong tệp khác với bản sao đối chiếu',
    en: 'A head in the file differs from its anchored copy',
  },
  proof_problem_tail_deleted_after_anchor: {
    vi: 'Nhật ký ngắn hơn bản sao đối chiếu: phần cuối đã bị xóa',
    en: 'The log is shorter than its anchored copy says: the tail was deleted',
  },
  proof_problem_log_rewritten_since_anchor: {
    vi: 'Nhật ký đã bị viết lại sau thời điểm của bản sao đối chiếu',
    en: 'The log was rewritten after the anchored copy was made',
  },
  proof_problem_receiver_anchor_mismatch: {
    vi: 'Một cụm loa đã báo đầu chuỗi khác với cơ sở dữ liệu',
    en: 'A receiver reported a head the database no longer held',
  },
  proof_problem_key_id_does_not_match_key: { vi: 'Mã khóa không khớp với khóa', en: 'Key id does not match the key' },
  proof_problem_signing_key_not_published: {
    vi: 'Khóa ký của bộ điều khiển không có trong các khóa đã công bố',
    en: 'A controller signing key is not among the published keys',
  },
  proof_problem_key_unreadable: { vi: 'Không đọc được khóa', en: 'Key unreadable' },
  proof_problem_key_without_rotation_record: {
    vi: 'Khóa xuất hiện mà nhật ký không ghi lần cấp hay đổi khóa nào',
    en: 'A key with no enrolment or rotation recorded in the audit log',
  },
  proof_problem_anchored_key_missing: {
    vi: 'Khóa mà bản sao đối chiếu ghi nhận không còn trong tệp',
    en: 'A key recorded by an anchored copy is missing from the file',
  },
  proof_problem_key_not_anchored: {
    vi: 'Khóa không có trong bản sao đối chiếu (của tỉnh hay nơi lưu chứng): có thể đã bị tráo',
    en: "A key the anchored copy (the province's or a witness's) never saw: possibly swapped in",
  },
  proof_problem_key_put_in_receivers_table: {
    vi: 'Có khóa được đặt trực tiếp vào bảng cụm loa, ngoài lịch sử khóa',
    en: 'A key was put in the receivers table by hand, outside the key history',
  },
  proof_problem_key_missing_from_history: {
    vi: 'Khóa mà nhật ký ghi là đã cấp cho cụm loa không còn trong lịch sử khóa',
    en: 'A key the audit log says a receiver was given is gone from the key history',
  },
  proof_problem_trigger_missing: {
    vi: 'Thiếu cơ chế chặn sửa, xóa (trigger) của một bảng bằng chứng',
    en: 'Append-only trigger missing',
  },
  proof_problem_trigger_altered: {
    vi: 'Cơ chế chặn sửa, xóa (trigger) của một bảng bằng chứng đã bị sửa và không còn chặn mọi dòng',
    en: 'Append-only trigger altered: it no longer refuses every row',
  },
  proof_problem_triggers_were_dropped: {
    vi: 'Cơ chế chặn sửa, xóa (trigger) từng bị gỡ bỏ hoặc sửa (đã được khôi phục khi khởi động)',
    en: 'Append-only triggers were dropped or altered (restored at a start)',
  },
} as const satisfies Catalogue;
