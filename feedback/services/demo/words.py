"""The pieces demo cases are made of: names, streets, complaints, answers, and
how often each kind and channel comes in."""

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]
MIDDLE = ["Văn", "Thị", "Hữu", "Ngọc", "Minh", "Thanh", "Đức", "Thu", "Quốc", "Kim"]
GIVEN = ["An", "Bình", "Chi", "Dũng", "Hà", "Hùng", "Lan", "Linh", "Nam", "Phương", "Quân",
         "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến"]
STREETS = ["Ba Cu", "Trần Phú", "Lê Lợi", "Hoàng Hoa Thám", "Thùy Vân", "Võ Thị Sáu",
           "Nguyễn An Ninh", "Lê Hồng Phong", "Nam Kỳ Khởi Nghĩa", "30 Tháng 4"]
OPENINGS = ["Tôi xin phản ánh việc", "Đề nghị cơ quan xem xét", "Gia đình tôi gặp khó khăn khi",
            "Kính đề nghị UBND giải quyết", "Tôi muốn hỏi về"]
DETAILS = ["hồ sơ nộp đã quá hẹn hai tuần mà chưa có kết quả",
           "cán bộ yêu cầu bổ sung giấy tờ không có trong quy định",
           "thông tin hướng dẫn trên cổng dịch vụ công không rõ ràng",
           "phải đi lại nhiều lần mới được tiếp nhận hồ sơ",
           "lệ phí thu khác với mức niêm yết"]
SUMMARIES = ["Chậm giải quyết hồ sơ {s}", "Yêu cầu giấy tờ ngoài quy định khi làm {s}",
             "Hướng dẫn chưa rõ về {s}", "Đi lại nhiều lần khi làm {s}", "Lệ phí {s} chưa đúng niêm yết"]
ANSWERS = ["Đơn vị đã kiểm tra, hồ sơ của ông/bà đã được giải quyết và trả kết quả.",
           "Qua rà soát, yêu cầu bổ sung giấy tờ là chưa đúng quy định; đơn vị đã chấn chỉnh cán bộ.",
           "Đơn vị đã cập nhật hướng dẫn trên cổng dịch vụ công và niêm yết tại Bộ phận một cửa.",
           "Đơn vị đã phối hợp với UBND phường khắc phục xong trong tuần.",
           "Mức lệ phí đã được điều chỉnh đúng quy định; khoản thu thừa được hoàn trả."]
REJECTED = "Nội dung không rõ, không có địa chỉ liên hệ."
TRIAGED = "Phân loại"
WAITING = "Đang chờ ý kiến cơ quan liên quan."
SENT_BACK = "Đề nghị nêu rõ ngày trả kết quả."
HANDED_OVER = "Chuyển giải quyết theo Luật Tố cáo."
KIND_WEIGHTS = {"phan-anh": 62, "kien-nghi": 25, "khieu-nai": 9, "to-cao": 4}
CHANNEL_WEIGHTS = {"web": 45, "sms": 18, "voice": 17, "operator": 12, "api": 4, "dialogue": 4}
SCORE_WEIGHTS = {1: 6, 2: 8, 3: 16, 4: 35, 5: 35}
