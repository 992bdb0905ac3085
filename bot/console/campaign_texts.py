"""Vietnamese labels of the campaign screens: states, channels, outcomes, notices, refusals."""

from __future__ import annotations

from bot.console import audit

STATE_LABELS = {
    "draft": "Bản nháp",
    "review": "Chờ duyệt",
    "scheduled": "Đã lên lịch",
    "sending": "Đang gửi",
    "paused": "Tạm dừng",
    "sent": "Đã gửi xong",
    "cancelled": "Đã huỷ",
}
CHANNEL_LABELS = {"telegram": "Telegram", "zalo": "Zalo OA", "zalobot": "Zalo Bot", "web": "Web"}
OUTCOME_LABELS = {
    "sent": "Đã gửi",
    "failed": "Lỗi",
    "blocked": "Đã chặn bot",
    "dropped": "Bị bỏ qua",
    "pending": "Đang chờ",
    "inflight": "Đang gửi",
    "cancelled": "Đã huỷ",
    "unknown": "Không rõ",
}
NOTICES = {
    "create": "Đã tạo bản nháp.",
    "edit": "Đã lưu bản nháp.",
    "submit": "Đã gửi duyệt.",
    "return": "Đã trả lại bản nháp cho người soạn.",
    "approve": "Đã duyệt và lên lịch gửi.",
    "pause": "Đã tạm dừng.",
    "resume": "Đã tiếp tục.",
    "cancel": "Đã huỷ chiến dịch; tin chưa gửi sẽ không được gửi.",
    "emergency": "Đã bắt đầu gửi khẩn cấp.",
}
REFUSALS = {
    "past_schedule": "Thời điểm gửi đã qua: hãy chọn một thời điểm sắp tới.",
    "empty_audience": "Chưa có ai đăng ký nhận tin theo chủ đề (và ấp, kênh) đã chọn: không gửi.",
    "note_required": "Hãy ghi lý do.",
    "bad_time": "Thời điểm không hợp lệ (dạng ngày/tháng/năm giờ:phút).",
    "own_campaign": "Người soạn không thể tự duyệt chiến dịch của mình; cần một cán bộ khác.",
    "own_text": (
        "Bạn là người sửa nội dung tin sau cùng nên không thể tự duyệt; cần một cán bộ khác duyệt."
    ),
    "denied": "Tài khoản của bạn không được làm việc này.",
}

audit.ACTION_LABELS.update(
    {f"campaign.{verb}": label for verb, label in (
        ("create", "Tạo bản nháp chiến dịch"), ("edit", "Sửa bản nháp chiến dịch"),
        ("submit", "Gửi duyệt chiến dịch"), ("return", "Trả lại bản nháp chiến dịch"),
        ("approve", "Duyệt chiến dịch"), ("pause", "Tạm dừng chiến dịch"),
        ("approve_refused", "Từ chối tự duyệt chiến dịch (cần người thứ hai)"),
        ("resume", "Tiếp tục chiến dịch"), ("cancel", "Huỷ chiến dịch"),
        ("emergency", "Gửi khẩn cấp"), ("plan_import", "Nhập kế hoạch truyền thông"),
    )}
)  # fmt: skip
