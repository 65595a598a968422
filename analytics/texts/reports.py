"""Reading evaluation reports: why a file was refused, and the per-file table of a batch import."""

TEXT = {
    "v_report_not_readable": {"zh": "{file}：无法读取（{reason}）", "en": "{file}: cannot be read ({reason})"},
    "v_report_figures_missing": {"zh": "{file}：不是预期格式的评价报告，找不到：{missing}",
                                 "en": "{file}: not an evaluation report of the expected form; "
                                       "could not find: {missing}"},
    "v_several_reports": {"zh": "{file}：一个文件中有多份报告（{titles}），请分成单独的文件",
                          "en": "{file}: holds several reports ({titles}); give each as its own file"},
    "v_report_indicator_unplaced": {
        "zh": "{file}：三级指标“{indicator}”所在的二级指标“{level2}”不是全国自评表的指标组，无法计分",
        "en": "{file}: the level-3 indicator \"{indicator}\" sits under \"{level2}\", which is no indicator group of "
              "the national self-evaluation table; it cannot be scored"},
    "report_reason_empty": {"zh": "文件为空", "en": "the file is empty"},
    "report_reason_binary": {"zh": "这是二进制文件，不是文本", "en": "it is a binary file, not text"},
    "report_reason_encoding": {"zh": "既不是 UTF-8 也不是 GBK 编码的文本（第 {offset} 字节无法解码）",
                               "en": "it is neither UTF-8 nor GBK text (undecodable byte at offset {offset})"},
    "report_reason_docx": {"zh": "不是可读取的 Word（.docx）文件", "en": "it is not a readable .docx file"},
    "report_reason_pdf": {"zh": "不是可读取的 PDF 文件", "en": "it is not a readable PDF file"},
    "report_reason_no_text_layer": {"zh": "这是没有文字层的 PDF（扫描图像），未经 OCR 无法读取",
                                    "en": "it is a PDF without a text layer (a scanned image); it cannot be read "
                                          "without OCR"},
    "v_report_table_invalid": {"zh": "{file}：自评表的指标无法计分：{problem}",
                               "en": "{file}: the self-evaluation table's indicators cannot be scored: {problem}"},
    "v_report_framework_not_importable": {
        "zh": "{file}：报告采用 {framework} 格式，目前只能解析查看（parse-report），尚不能导入为 {expected} 的评价",
        "en": "{file}: the report follows {framework}; it can be parsed (parse-report) but not yet imported as an "
              "evaluation of {expected}"},
    "v_archive_too_large": {"zh": "{file}：压缩包解压后超过 {limit_mb} MB 上限，未读取",
                            "en": "{file}: the archive unpacks to more than the {limit_mb} MB limit; it was not read"},
    "v_archive_empty": {"zh": "{file}：压缩包中没有文件", "en": "{file}: the archive holds no files"},
    "v_archive_unreadable": {"zh": "{file}：不是可读取的 .zip 压缩包", "en": "{file}: not a readable .zip archive"},
    "v_not_a_report_file": {"zh": "{file}：不是报告文件（请使用 .txt、.docx 或 .pdf）",
                            "en": "{file}: not a report file (use .txt, .docx or .pdf)"},
    "v_same_department_year": {"zh": "{file}：与本批中的 {other} 是同一部门同一年度（{department} {year}）",
                               "en": "{file}: the same department-year as {other} in this batch ({department} {year})"},
    "batch_col_file": {"zh": "文件", "en": "File"},
    "batch_col_status": {"zh": "结果", "en": "Result"},
    "batch_col_department": {"zh": "部门", "en": "Department"},
    "batch_col_year": {"zh": "年度", "en": "Year"},
    "batch_col_reason": {"zh": "原因", "en": "Reason"},
    "batch_status_added": {"zh": "已导入", "en": "imported"},
    "batch_status_replaced": {"zh": "已替换", "en": "replaced"},
    "batch_status_duplicate": {"zh": "重复，已跳过", "en": "skipped as duplicate"},
    "batch_status_rejected": {"zh": "已拒绝", "en": "rejected"},
    "batch_status_withheld": {"zh": "未导入（本批被拒绝）", "en": "not imported (batch rejected)"},
    "batch_duplicate_of": {"zh": "与 {file} 相同", "en": "same as {file}"},
    "batch_duplicate_stored": {"zh": "与已存的报告相同", "en": "same as the stored report"},
    "batch_rejected": {"zh": "本批报告未导入，未写入任何数据：{count} 个文件被拒绝（见下表）。",
                       "en": "The batch was not imported and nothing was written: {count} files were rejected "
                             "(see the table)."},
    "batch_progress": {"zh": "[{i}/{n}] 读取 {file}", "en": "[{i}/{n}] reading {file}"},
}
