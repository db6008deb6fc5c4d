# frontend/frontend.mk -- GOV.UK Frontend / MOJ Frontend build, included by the top-level Makefile.
#
#   make css    Rebuild the vendored front-end files from the npm packages pinned in
#               frontend/package-lock.json (needs node >= 20.19 and npm; about 5 s):
#                 static/css/application.css         GOV.UK Frontend 6 + MOJ Frontend, in Arial
#                 static/govuk/govuk-frontend.min.js  GOV.UK Frontend JS (ES module)
#                 static/govuk/assets/images/, static/govuk/assets/manifest.json
#                 static/moj/moj-frontend.min.js      MOJ Frontend JS (ES module, self-contained)
#                 static/moj/assets/images/
#                 static/accessible-autocomplete/        alphagov's accessible-autocomplete (UMD
#                   JS, sets self.accessibleAutocomplete; and its CSS): the school picker
#
# The outputs are committed, so running the app (`make run`, collectstatic) never needs node.
# Run `make css` after editing frontend/src/*.scss or upgrading frontend/package.json, then commit
# the changed files under static/.
#
# - A council service may not use the GDS Transport font (licensed for gov.uk only): the CSS is
#   set in Arial, no @font-face is emitted and the GOV.UK fonts folder is not copied.
# - No source maps: sass runs with --no-source-map and sourceMappingURL comments are stripped from
#   the copied JS, because whitenoise's manifest storage fails on .map files named but missing.
# - Idempotent: each run replaces its outputs wholesale; the last step fails the build if the CSS
#   mentions GDS Transport, has an @font-face, or points at /assets/ outside /static/.

FE_DIR    := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))
FE_STATIC := $(abspath $(FE_DIR)/../static)
FE_GOVUK  := $(FE_DIR)/node_modules/govuk-frontend/dist/govuk
FE_MOJ    := $(FE_DIR)/node_modules/@ministryofjustice/frontend/moj
FE_AC     := $(FE_DIR)/node_modules/accessible-autocomplete/dist
FE_CSS    := $(FE_STATIC)/css/application.css
# --load-path=. : MOJ Frontend loads "node_modules/govuk-frontend/dist/govuk/base" via the load path
# --pkg-importer=node : resolves the "pkg:govuk-frontend" / "pkg:@ministryofjustice/frontend" URLs
FE_SASS_FLAGS := --load-path=. --pkg-importer=node --style=compressed --no-source-map
FE_STRIP_MAP  := sed -E 's|//[\#@] sourceMappingURL=[^[:space:]]*[[:space:]]*$$||'
FE_STRIP_CSS_MAP := sed -E 's|/\*[\#@] sourceMappingURL=[^*]*\*/||'

.PHONY: css
css:
	cd $(FE_DIR) && npm ci --no-audit --no-fund --omit=optional
	mkdir -p $(FE_STATIC)/css $(FE_STATIC)/govuk $(FE_STATIC)/moj $(FE_STATIC)/accessible-autocomplete
	cd $(FE_DIR) && npx --no-install sass $(FE_SASS_FLAGS) src/application.scss $(FE_CSS)
	rm -rf $(FE_STATIC)/govuk/assets $(FE_STATIC)/moj/assets
	mkdir -p $(FE_STATIC)/govuk/assets $(FE_STATIC)/moj/assets
	$(FE_STRIP_MAP) $(FE_GOVUK)/govuk-frontend.min.js > $(FE_STATIC)/govuk/govuk-frontend.min.js
	cp -R $(FE_GOVUK)/assets/images $(FE_STATIC)/govuk/assets/images
	if [ -f $(FE_GOVUK)/assets/manifest.json ]; then cp $(FE_GOVUK)/assets/manifest.json $(FE_STATIC)/govuk/assets/; fi
	$(FE_STRIP_MAP) $(FE_MOJ)/moj-frontend.min.js > $(FE_STATIC)/moj/moj-frontend.min.js
	cp -R $(FE_MOJ)/assets/images $(FE_STATIC)/moj/assets/images
	$(FE_STRIP_MAP) $(FE_AC)/accessible-autocomplete.min.js > $(FE_STATIC)/accessible-autocomplete/accessible-autocomplete.min.js
	$(FE_STRIP_CSS_MAP) $(FE_AC)/accessible-autocomplete.min.css > $(FE_STATIC)/accessible-autocomplete/accessible-autocomplete.min.css
	@! grep -qi 'GDS Transport' $(FE_CSS) || { echo "css: GDS Transport found in $(FE_CSS)" >&2; exit 1; }
	@! grep -q '@font-face' $(FE_CSS) || { echo "css: @font-face found in $(FE_CSS)" >&2; exit 1; }
	@! grep -Eq "url\([\"']?/assets/" $(FE_CSS) || { echo "css: /assets/ url outside /static/ in $(FE_CSS)" >&2; exit 1; }
	@! grep -rlq 'sourceMappingURL' $(FE_STATIC)/css $(FE_STATIC)/govuk $(FE_STATIC)/moj $(FE_STATIC)/accessible-autocomplete || { echo "css: sourceMappingURL left in static/" >&2; exit 1; }
	@grep -q 'font-family:arial,sans-serif' $(FE_CSS) || { echo "css: Arial font-family missing from $(FE_CSS)" >&2; exit 1; }
	@echo "css: built $(FE_CSS) ($$(wc -c < $(FE_CSS)) bytes) and copied GOV.UK/MOJ JS and images to $(FE_STATIC)"
