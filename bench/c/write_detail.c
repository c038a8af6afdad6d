// SPDX-License-Identifier: Apache-2.0
/* The yardstick for the writing benchmark of `make bench`: a detail list of N rows written
 * straight through libxlsxwriter, the same cells and formats as `ruralstat-bench write`
 * writes through ruralstat's Swift layer. Not product code.
 *
 * usage: write-detail ROWS OUT.xlsx */
#include <stdio.h>
#include <stdlib.h>
#include <xlsxwriter.h>

static const char *units[] = {"Thành phố Hải Dương", "Huyện Cẩm Giàng", "Huyện Gia Lộc", "Huyện Nam Sách", "Huyện Ninh Giang"};
static const char *names[] = {"Hỗ trợ ứng dụng máy móc thiết bị tiên tiến", "Xây dựng mô hình trình diễn kỹ thuật",
                              "Tham gia hội chợ triển lãm", "Đào tạo nghề thêu ren"};
static const char *funding[] = {"Khuyến công quốc gia", "Khuyến công địa phương", "Nguồn khác"};
static const char *status[] = {"Đã phê duyệt", "Đang thực hiện", "Đã nghiệm thu"};

static lxw_format *cell_format(lxw_workbook *wb, const char *num, int center, int wrap) {
    lxw_format *f = workbook_add_format(wb);
    format_set_font_name(f, "Times New Roman");
    format_set_font_size(f, 12);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (center) format_set_align(f, LXW_ALIGN_CENTER);
    if (wrap) format_set_text_wrap(f);
    if (num) format_set_num_format(f, num);
    return f;
}

int main(int argc, char **argv) {
    if (argc != 3) { fprintf(stderr, "usage: write-detail ROWS OUT.xlsx\n"); return 2; }
    long rows = atol(argv[1]);
    lxw_workbook *wb = workbook_new(argv[2]);
    lxw_worksheet *ws = workbook_add_worksheet(wb, "Danh sách đề án");
    lxw_format *text = cell_format(wb, NULL, 0, 1), *center = cell_format(wb, NULL, 1, 0);
    lxw_format *integer = cell_format(wb, "#,##0", 1, 0), *money = cell_format(wb, "#,##0.0", 0, 0);
    lxw_format *date = cell_format(wb, "dd/mm/yyyy", 1, 0);
    char code[32];
    for (long i = 0; i < rows; i++) {
        lxw_row_t r = (lxw_row_t)i + 1;
        worksheet_write_number(ws, r, 0, (double)(i + 1), integer);
        worksheet_write_string(ws, r, 1, units[i % 5], text);
        snprintf(code, sizeof code, "DA-%ld", i + 1);
        worksheet_write_string(ws, r, 2, code, center);
        worksheet_write_string(ws, r, 3, names[i % 4], text);
        worksheet_write_string(ws, r, 4, funding[i % 3], center);
        worksheet_write_number(ws, r, 5, (double)(100 + i % 700), money);
        worksheet_write_number(ws, r, 6, (double)(i % 500) / 10.0, money);
        worksheet_write_string(ws, r, 7, status[i % 3], center);
        lxw_datetime d = {2025, 1 + (int)(i % 12), 1 + (int)(i % 28), 0, 0, 0};
        worksheet_write_datetime(ws, r, 8, &d, date);
    }
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : 1;
}
