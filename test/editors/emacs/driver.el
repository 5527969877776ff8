;;; driver.el --- Emacs with Eglot as an editor of .smtp files, in batch  -*- lexical-binding: t -*-

;; Driven by test/editors/emacs.editors.ts. The user's part is the README's
;; Eglot configuration, loaded from SMTP_EMACS_CONFIG (the test copies it out
;; of README.md, unchanged). This file plays the user: open a transcript, see
;; the diagnostics Flymake shows, hover, complete, and run the buffer's
;; sessions with the README's `smtp-session-run'. It writes what it saw to
;; SMTP_EMACS_REPORT as JSON and exits; the test asserts on the report. Every
;; wait is bounded, so a missing event shows up in the report instead of
;; hanging.

(require 'cl-lib)
(require 'json)

(defvar smtp-test-report (list :steps nil :errors nil :unhandled nil :messages nil :received nil))

(defun smtp-test-push (key value)
  (setq smtp-test-report (plist-put smtp-test-report key (append (plist-get smtp-test-report key) (list value)))))

(defun smtp-test-wait (seconds predicate)
  "Process the server's output until PREDICATE holds or SECONDS pass; PREDICATE's value."
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.05))
    (funcall predicate)))

(defmacro smtp-test-step (name &rest body)
  "Runs BODY; its value is the report's step NAME, an error goes to the report's errors."
  (declare (indent 1))
  `(condition-case failure
       (setq smtp-test-report
             (plist-put smtp-test-report :steps
                        (plist-put (plist-get smtp-test-report :steps) ,name (progn ,@body))))
     (error (smtp-test-push :errors (format "%s: %s" ,name (error-message-string failure))))))

;; ── The README's configuration ──────────────────────────────────────────────
(load (getenv "SMTP_EMACS_CONFIG") nil t)
;; ────────────────────────────────────────────────────────────────────────────
(require 'eglot)

;; Every method the server sends goes through eglot-handle-notification or
;; eglot-handle-request. One that Eglot has no method of its own for was sent
;; without the client declaring it (Eglot 1.9 logs it, or answers null).
(defun smtp-test-handled (generic)
  "The LSP methods GENERIC has a method for (its `eql' specializers)."
  (let (names)
    (dolist (method (cl--generic-method-table (cl--generic generic)))
      (dolist (specializer (cl--generic-method-specializers method))
        (when (and (consp specializer) (eq (car specializer) 'eql))
          (let ((value (cadr specializer)))
            (push (format "%s" (if (eq (car-safe value) 'quote) (cadr value) value)) names)))))
    names))

(defun smtp-test-observe (kind generic)
  (let ((handled (smtp-test-handled generic)))
    (lambda (_server method &rest params)
      (let ((name (format "%s" method)))
        (smtp-test-push :received (format "%s %s" kind name))
        (unless (member name handled) (smtp-test-push :unhandled (format "%s %s" kind name)))
        (when (equal name "window/showMessage")
          (smtp-test-push :messages (list :type (plist-get params :type) :message (plist-get params :message))))))))

(advice-add 'eglot-handle-notification :before (smtp-test-observe "notification" 'eglot-handle-notification))
(advice-add 'eglot-handle-request :before (smtp-test-observe "request" 'eglot-handle-request))

(defun smtp-test-find-line (regexp)
  "Moves point to the start of the first line matching REGEXP."
  (goto-char (point-min))
  (unless (re-search-forward regexp nil t) (error "no line matches %s" regexp))
  (beginning-of-line))

(defun smtp-test-diagnostics ()
  ;; Vectors: json-encode would read a list of plists as an alist.
  (cl-map 'vector (lambda (diagnostic)
            (list :line (1- (line-number-at-pos (flymake-diagnostic-beg diagnostic)))
                  :text (flymake-diagnostic-text diagnostic)))
          (flymake-diagnostics)))

(defun smtp-test-finish ()
  (dolist (key '(:errors :unhandled :messages :received))
    (setq smtp-test-report (plist-put smtp-test-report key (vconcat (plist-get smtp-test-report key)))))
  (with-temp-file (getenv "SMTP_EMACS_REPORT")
    (insert (json-encode smtp-test-report)))
  (kill-emacs 0))

(condition-case failure
    (progn
      (find-file (getenv "SMTP_EMACS_FILE"))
      (setq smtp-test-report (plist-put smtp-test-report :mode (symbol-name major-mode)))
      ;; eglot-ensure connects when the command that opened the file ends; batch Emacs runs no command loop.
      (run-hooks 'post-command-hook)
      (unless (smtp-test-wait 15 (lambda () (bound-and-true-p eglot--managed-mode)))
        (error "Eglot never managed the buffer"))
      (let ((server (eglot-current-server)))
        (setq smtp-test-report
              (plist-put smtp-test-report :languageId (format "%s" (eglot--language-id server))))

        (smtp-test-step :diagnostics
          ;; Flymake asks its backends when the buffer settles; in batch Emacs the test asks it.
          (unless (smtp-test-wait 15 (lambda () (flymake-start) (flymake-diagnostics)))
            (error "Flymake shows no diagnostic"))
          (smtp-test-diagnostics))

        (smtp-test-step :hover
          (smtp-test-find-line "^S: 550")
          (forward-char 4)
          (let* ((hover (jsonrpc-request server :textDocument/hover (eglot--TextDocumentPositionParams)))
                 (contents (plist-get hover :contents)))
            (if (stringp contents) contents (plist-get contents :value))))

        (smtp-test-step :completion
          (smtp-test-find-line "^C: $")
          (end-of-line)
          (let* ((capf (eglot-completion-at-point))
                 (table (nth 2 capf)))
            (unless capf (error "eglot-completion-at-point offered nothing"))
            (cl-map 'vector (lambda (candidate)
                      (let ((item (get-text-property 0 'eglot--lsp-item candidate)))
                        (list :label (plist-get item :label)
                              :insertTextFormat (plist-get item :insertTextFormat)
                              :newText (or (plist-get (plist-get item :textEdit) :newText) (plist-get item :insertText) (plist-get item :label))
                              :command (plist-get (plist-get item :command) :command))))
                    (all-completions "" table))))

        (smtp-test-step :lenses
          (cl-map 'vector (lambda (lens) (plist-get (plist-get lens :command) :title))
                  (jsonrpc-request server :textDocument/codeLens (list :textDocument (eglot--TextDocumentIdentifier)))))

        (smtp-test-step :run
          (let ((before (length (plist-get smtp-test-report :messages))))
            ;; The README's command, as M-x smtp-session-run: workspace/executeCommand smtp.lsp.runSession.
            (smtp-session-run)
            (unless (smtp-test-wait 30 (lambda () (> (length (plist-get smtp-test-report :messages)) before)))
              (error "the run showed no message"))
            (unless (smtp-test-wait 10 (lambda ()
                                         (flymake-start)
                                         (cl-some (lambda (diagnostic) (string-match-p "smtp-session run" (plist-get diagnostic :text)))
                                                  (smtp-test-diagnostics))))
              (error "Flymake shows no run diagnostic"))
            (list :message (car (last (plist-get smtp-test-report :messages)))
                  :diagnostics (cl-remove-if-not (lambda (diagnostic) (string-match-p "smtp-session run" (plist-get diagnostic :text)))
                                                 (smtp-test-diagnostics)))))

        (eglot-shutdown server)))
  (error (smtp-test-push :errors (error-message-string failure))))
(smtp-test-finish)
