// Atlas Desktop's side of the citeproc-js engine, evaluated in the same V8 context after
// citeproc_commonjs.js. Python talks to it only through ATLAS.setLocales / ATLAS.build /
// ATLAS.render, with JSON in and out. One context holds one style's engine.
//
// Why custom output formats: citeproc-js's own HTML puts numbered entries in floated <div>s
// (csl-left-margin / csl-right-inline), which Word and LibreOffice drop on paste; ours keeps
// the label inline so a hanging indent (text-indent) lays it out. Links get their quotes
// escaped (a DOI may legally contain a double quote). Python wraps entries into a document.
var ATLAS = (function () {
  "use strict";
  var items = {};
  var locales = {};
  var engine = null;
  // id -> JSON of the item as last registered. citeproc-js keeps an item it has seen under
  // its id and would print stale data after an entry changed, so changed items are taken
  // out of its registry before they are added back.
  var registered = {};

  var sys = {
    retrieveLocale: function (lang) {
      return Object.prototype.hasOwnProperty.call(locales, lang) ? locales[lang] : false;
    },
    retrieveItem: function (id) {
      return items[id];
    }
  };

  function copyFormat(base, overrides) {
    var out = {};
    var key;
    for (key in base) {
      if (Object.prototype.hasOwnProperty.call(base, key)) {
        out[key] = base[key];
      }
    }
    for (key in overrides) {
      if (Object.prototype.hasOwnProperty.call(overrides, key)) {
        out[key] = overrides[key];
      }
    }
    return out;
  }

  function attr(str) {
    return String(str).replace(/"/g, "&#34;");
  }

  CSL.Output.Formats["atlas-html"] = copyFormat(CSL.Output.Formats.html, {
    "bibstart": "",
    "bibend": "",
    "@bibliography/entry": function (state, str) { return str; },
    "@display/block": function (state, str) { return "<br>" + str; },
    "@display/left-margin": function (state, str) { return str + " "; },
    "@display/right-inline": function (state, str) { return str; },
    "@display/indent": function (state, str) { return "<br>\u00a0\u00a0\u00a0\u00a0" + str; },
    "@URL/true": function (state, str) {
      return "<a href=\"" + attr(str) + "\">" + str + "</a>";
    },
    "@DOI/true": function (state, str) {
      var href = str.match(/^https?:\/\//) ? str : "https://doi.org/" + str;
      return "<a href=\"" + attr(href) + "\">" + str + "</a>";
    }
  });

  // "et al." from the data. A name list that ends with {"literal": "others"} is cut short:
  // pandoc writes BibTeX's "and others" so, and we write the atlas's "et al." so.
  // citeproc-js has no notion of it: it would print "others" as an institution (which also
  // takes the names before it as its members). So the name is taken off the list when an
  // item is registered and the variable is marked (takeOthers); while citeproc-js lays out
  // a marked list it counts one name more than the list holds, which is how it decides to
  // print the style's own "et al." term after the names it shows. Styles that end long
  // lists with "… last name" (APA's et-al-use-last) print "et al." for these instead: the
  // last author is not known.
  var OTHERS_KEY = "_atlasOthers";

  function isOthers(name) {
    return !!name && typeof name === "object" && !name.family &&
      String(name.literal || "").trim() === "others";
  }

  function takeOthers(item) {
    var marked = [];
    var out = item;
    Object.keys(item).forEach(function (key) {
      var value = item[key];
      if (Array.isArray(value) && value.length > 1 && isOthers(value[value.length - 1])) {
        if (out === item) {
          out = copyFormat(item, {});
        }
        out[key] = value.slice(0, -1);
        marked.push(key);
      }
    });
    if (marked.length) {
      out[OTHERS_KEY] = marked;
    }
    return out;
  }

  function markedVariables(output) {
    var marks = output.Item && output.Item[OTHERS_KEY];
    return Array.isArray(marks) ? output.variables.filter(function (v) {
      return marks.indexOf(v) > -1;
    }) : [];
  }

  var baseEtAlConfig = CSL.NameOutput.prototype.getEtAlConfig;
  CSL.NameOutput.prototype.getEtAlConfig = function () {
    baseEtAlConfig.call(this);
    if (markedVariables(this).length) {
      this.etal_use_last = false;
    }
  };

  var baseTruncate = CSL.NameOutput.prototype.truncatePersonalNameLists;
  CSL.NameOutput.prototype.truncatePersonalNameLists = function () {
    baseTruncate.call(this);
    var output = this;
    markedVariables(this).forEach(function (v) {
      if (output.freeters[v] && output.freeters[v].length) {
        output.freeters_count[v] += 1;
      } else if (output.institutions[v] && output.institutions[v].length) {
        output.institutions_count[v] += 1;
      }
    });
  };

  CSL.Output.Formats["atlas-rtf"] = copyFormat(CSL.Output.Formats.rtf, {
    "bibstart": "",
    "bibend": "",
    "@display/right-inline": function (state, str) { return str; }
  });

  var MODES = {text: "text", html: "atlas-html", rtf: "atlas-rtf"};

  function layoutOf(params) {
    return {
      hangingindent: !!params.hangingindent,
      linespacing: params.linespacing || 1,
      entryspacing: params.entryspacing || 0,
      secondFieldAlign: params["second-field-align"] || false,
      maxoffset: params.maxoffset || 0
    };
  }

  function hasBibliography() {
    return !!(engine.bibliography && engine.bibliography.tokens &&
              engine.bibliography.tokens.length);
  }

  // Make the registry hold exactly these items, with their current data.
  function register(list) {
    var ids = [];
    var changed = {};
    var anyChanged = false;
    var previous = registered;
    registered = {};
    items = {};
    list.forEach(function (item) {
      var json = JSON.stringify(item);
      if (Object.prototype.hasOwnProperty.call(previous, item.id) &&
          previous[item.id] !== json) {
        changed[item.id] = true;
        anyChanged = true;
      }
      registered[item.id] = json;
      items[item.id] = takeOthers(item);
      ids.push(item.id);
    });
    if (anyChanged) {
      engine.updateItems(ids.filter(function (id) { return !changed[id]; }));
    }
    engine.updateItems(ids);
    return ids;
  }

  function resetCitations() {
    engine.registry.citationreg = new CSL.Registry.CitationReg(engine);
  }

  function renderFormats(ids, request) {
    var out = {order: ids, layout: null, errors: [], entries: {}, each: {}, cluster: {}};
    request.formats.forEach(function (fmt) {
      engine.setOutputFormat(MODES[fmt]);
      var bib = hasBibliography() ? engine.makeBibliography() : false;
      if (bib) {
        out.layout = layoutOf(bib[0]);
        out.order = bib[0].entry_ids.map(function (x) { return x[0]; });
        out.errors = bib[0].bibliography_errors.map(function (e) {
          return {id: e.itemID, code: e.error_code};
        });
        out.entries[fmt] = bib[1];
      }
      if (request.each) {
        var each = {};
        ids.forEach(function (id) {
          each[id] = engine.makeCitationCluster([{id: id}]);
        });
        out.each[fmt] = each;
      }
      if (request.cluster) {
        out.cluster[fmt] = engine.makeCitationCluster(ids.map(function (id) {
          return {id: id};
        }));
      }
    });
    return out;
  }

  return {
    setLocales: function (map) {
      locales = map;
      return Object.keys(map).length;
    },

    // Build the engine for one style. lang/forceLang come from a dependent style or the
    // user's citation language.
    build: function (styleXml, lang, forceLang) {
      items = {};
      registered = {};
      engine = new CSL.Engine(sys, styleXml, lang || undefined, !!forceLang);
      engine.opt.development_extensions.wrap_url_and_doi = true;
      return {styleClass: engine.opt["class"], hasBibliography: hasBibliography()};
    },

    // A document's citations in document order, as a word processor holds them:
    // request: {items: [CSL-JSON], citations: [{citationID, citationItems, properties:
    // {noteIndex}}], bibliography: bool}. citeproc-js's cluster processing gives numbering
    // in order of first citation, year suffixes and added initials over the whole document,
    // and ibid./short forms by note. The citation registry is emptied before and after, so
    // copies (render) and documents never see each other's citations.
    renderDocument: function (request) {
      try {
        resetCitations();
        register(request.items);
        var out = {citations: [], entries: [], order: [], layout: null, errors: []};
        var done = engine.rebuildProcessorState(request.citations, "atlas-html");
        done.forEach(function (row) {
          out.citations.push({citationID: row[0], noteIndex: row[1], html: row[2]});
        });
        if (request.bibliography && hasBibliography()) {
          engine.setOutputFormat("atlas-html");
          var bib = engine.makeBibliography();
          if (bib) {
            out.layout = layoutOf(bib[0]);
            out.order = bib[0].entry_ids.map(function (x) { return x[0]; });
            out.errors = bib[0].bibliography_errors.map(function (e) {
              return {id: e.itemID, code: e.error_code};
            });
            out.entries = bib[1];
          }
        }
        resetCitations();
        return out;
      } catch (e) {
        registered = {};
        try {
          resetCitations();
          engine.updateItems([]);
        } catch (ignored) {
          // the next call re-registers what it needs
        }
        throw e;
      }
    },

    // request: {items: [CSL-JSON], formats: ["text"|"html"|"rtf"], each: bool, cluster: bool}
    render: function (request) {
      try {
        return renderFormats(register(request.items), request);
      } catch (e) {
        // The registry may be half updated: empty it, so the next call starts clean.
        registered = {};
        try {
          engine.updateItems([]);
        } catch (ignored) {
          // the next render re-registers what it needs
        }
        throw e;
      }
    }
  };
}());
