# Hai lệnh chính: `make notices` dựng mọi văn bản, `make test` chạy kiểm thử.
# Cả hai tự cài những gì còn thiếu (gói Debian và môi trường .venv).
VENV := .venv
BIN := $(VENV)/bin

.PHONY: notices test lint format check-templates bootstrap clean

bootstrap:
	@bash tools/bootstrap.sh

notices: bootstrap
	$(BIN)/mtcl-docs build

check-templates: bootstrap
	$(BIN)/mtcl-docs check-templates

test: bootstrap
	$(BIN)/ruff check mtcl_docs tests tools
	$(BIN)/ruff format --check mtcl_docs tests tools
	$(BIN)/pytest -q

lint: bootstrap
	$(BIN)/ruff check mtcl_docs tests tools

format: bootstrap
	$(BIN)/ruff format mtcl_docs tests tools

clean:
	rm -rf output/docx output/pdf
