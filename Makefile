# Hai lệnh chính: `make notices` dựng mọi văn bản, `make test` chạy kiểm thử.
# Cả hai tự cài những gì còn thiếu (gói Debian và môi trường .venv).
VENV := .venv
BIN := $(VENV)/bin

.PHONY: notices test lint format check-templates bootstrap clean bench

bootstrap:
	@bash tools/bootstrap.sh

# Sau khi dựng: ký THỬ (chứng thư tạm) để xem trước chữ ký số trong output/ky-thu/, kể cả một bản sao.
notices: bootstrap
	$(BIN)/mtcl-docs build
	$(BIN)/mtcl-docs sign --thu
	$(BIN)/mtcl-docs sign --thu --ban-sao sao-y 4275 4275-truong-mau

check-templates: bootstrap
	$(BIN)/mtcl-docs check-templates

test: bootstrap
	$(BIN)/ruff check mtcl_docs tests tools benchmarks
	$(BIN)/ruff format --check mtcl_docs tests tools benchmarks
	$(BIN)/pytest -q

lint: bootstrap
	$(BIN)/ruff check mtcl_docs tests tools benchmarks

format: bootstrap
	$(BIN)/ruff format mtcl_docs tests tools benchmarks

# Xóa mọi tệp đã dựng (không đụng tới dữ liệu và sổ đăng ký trong data/).
clean:
	find output -mindepth 1 ! -name .gitkeep -delete

# Đo tốc độ và bộ nhớ (không thuộc make test). BENCH_N=1000 để đo thêm 1000 văn bản.
bench: bootstrap
	$(BIN)/python benchmarks/bench.py
