"""How a file upgraded to version 11 held `contract_line`, for tests and benches of
migration 12 (ids never reused): undone on a new file by running these statements."""

# contract_line as versions 7 up to 12 created it: a plain INTEGER PRIMARY KEY (with the
# columns later versions add, since those stay applied).
BEFORE_12 = [
    'CREATE TABLE "contract_line_v11" ("id" INTEGER NOT NULL PRIMARY KEY, "contract_id" INTEGER'
    ' NOT NULL, "position" INTEGER NOT NULL, "article_id" INTEGER, "description" TEXT NOT NULL,'
    ' "quantity" INTEGER NOT NULL, "unit_price" INTEGER NOT NULL, "price_period" VARCHAR(255),'
    ' "recurring" INTEGER NOT NULL, "valid_from" DATE, "valid_to" DATE, "vat_rate" INTEGER NOT'
    ' NULL, "vat_nature" VARCHAR(255), "frequency" VARCHAR(255), "economics" TEXT, FOREIGN KEY ("contract_id") REFERENCES'
    ' "contract" ("id") ON DELETE CASCADE, FOREIGN KEY ("article_id") REFERENCES "article"'
    ' ("id") ON DELETE RESTRICT)',
    'INSERT INTO "contract_line_v11" SELECT * FROM "contract_line"',
    'DROP TABLE "contract_line"',
    'ALTER TABLE "contract_line_v11" RENAME TO "contract_line"',
    'CREATE INDEX "contract_line_contract_id" ON "contract_line" ("contract_id")',
    'CREATE INDEX "contract_line_article_id" ON "contract_line" ("article_id")',
    "DELETE FROM sqlite_sequence WHERE name = 'contract_line'",
    # version 12 only: the later ones stay applied, as if upgraded to one by one (a database
    # created in one go counts every version up to its newest as applied)
    "DELETE FROM schema_version WHERE version = 12",
    "UPDATE schema_version SET description = 'upgraded' WHERE version > 12",
]
