//! A recursive-descent parser for upstream `PainlessParser.g4` (same rules, same precedence:
//! `* / %`, `+ -`, `=~ ==~`, shifts, comparisons, `instanceof`, equality, `&`, `^`, `|`, `&&`,
//! `||`, `?:`, then `? :` and assignments, right-associative).

use super::ast::*;
use super::lexer::{Tok, Token};
use crate::value::Exception;

pub(crate) struct ParseError {
    pub(crate) offset: usize,
    pub(crate) exception: Exception,
}

type PResult<T> = Result<T, ParseError>;

pub(crate) struct Parser<'a> {
    toks: &'a [Token],
    i: usize,
    /// Nesting of expressions and statements being parsed (bounded, so that a pathological
    /// script cannot exhaust the stack of the thread compiling it).
    depth: u32,
}

const MAX_NESTING: u32 = 128;

pub(crate) fn parse(toks: &[Token]) -> PResult<SourceUnit> {
    let mut p = Parser {
        toks,
        i: 0,
        depth: 0,
    };
    p.source()
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &Tok {
        &self.toks[self.i].tok
    }
    fn peek_at(&self, k: usize) -> &Tok {
        let j = (self.i + k).min(self.toks.len() - 1);
        &self.toks[j].tok
    }
    fn pos(&self) -> usize {
        self.toks[self.i].start
    }
    fn bump(&mut self) -> Tok {
        let t = self.toks[self.i].tok.clone();
        if self.i < self.toks.len() - 1 {
            self.i += 1;
        }
        t
    }
    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == t {
            self.bump();
            true
        } else {
            false
        }
    }
    fn error_here<T>(&self) -> PResult<T> {
        let tok = &self.toks[self.i];
        // Upstream ParserErrorStrategy: "unexpected end of script." at EOF, else
        // "invalid sequence of tokens near ['...']."
        let message = if tok.tok == Tok::Eof {
            "unexpected end of script.".to_owned()
        } else {
            format!(
                "invalid sequence of tokens near ['{}'].",
                token_text(&tok.tok)
            )
        };
        Err(ParseError {
            offset: tok.start,
            exception: Exception::illegal_argument(message),
        })
    }
    fn expect(&mut self, t: &Tok) -> PResult<()> {
        if self.eat(t) {
            Ok(())
        } else {
            self.error_here()
        }
    }

    fn source(&mut self) -> PResult<SourceUnit> {
        let mut functions = Vec::new();
        while self.looks_like_function() {
            functions.push(self.function()?);
        }
        let mut statements = Vec::new();
        while *self.peek() != Tok::Eof {
            statements.push(self.statement(false)?);
        }
        Ok(SourceUnit {
            functions,
            statements,
        })
    }

    fn looks_like_function(&self) -> bool {
        let mut j = self.i;
        match self.scan_decltype(&mut j) {
            true => {}
            false => return false,
        }
        matches!(self.toks[j].tok, Tok::Id(_))
            && matches!(self.toks.get(j + 1).map(|t| &t.tok), Some(Tok::LP))
            && {
                // parameters then a block
                let mut k = j + 2;
                let mut depth = 1;
                while k < self.toks.len() && depth > 0 {
                    match self.toks[k].tok {
                        Tok::LP => depth += 1,
                        Tok::RP => depth -= 1,
                        Tok::Eof => return false,
                        _ => {}
                    }
                    k += 1;
                }
                matches!(self.toks.get(k).map(|t| &t.tok), Some(Tok::LBrack))
            }
    }

    /// Scans `decltype` (type followed by `[]`*) from `j` without consuming.
    fn scan_decltype(&self, j: &mut usize) -> bool {
        match &self.toks[*j].tok {
            Tok::Def | Tok::Primitive(_) => *j += 1,
            Tok::Id(_) => {
                *j += 1;
                while self.toks[*j].tok == Tok::Dot
                    && matches!(self.toks[*j + 1].tok, Tok::DotId(_))
                {
                    *j += 2;
                }
            }
            _ => return false,
        }
        while self.toks[*j].tok == Tok::LBrace && self.toks[*j + 1].tok == Tok::RBrace {
            *j += 2;
        }
        true
    }

    fn decltype(&mut self) -> PResult<TypeName> {
        let pos = self.pos();
        let mut name = match self.bump() {
            Tok::Def => "def".to_owned(),
            Tok::Primitive(p) => p.to_owned(),
            Tok::Id(s) => s,
            _ => {
                self.i -= 1;
                return self.error_here();
            }
        };
        while *self.peek() == Tok::Dot {
            if let Tok::DotId(s) = self.peek_at(1).clone() {
                self.bump();
                self.bump();
                name.push('.');
                name.push_str(&s);
            } else {
                break;
            }
        }
        let mut dims = 0;
        while *self.peek() == Tok::LBrace && *self.peek_at(1) == Tok::RBrace {
            self.bump();
            self.bump();
            dims += 1;
        }
        Ok(TypeName { name, dims, pos })
    }

    fn function(&mut self) -> PResult<FunctionDecl> {
        let pos = self.pos();
        let ret = self.decltype()?;
        let name = match self.bump() {
            Tok::Id(s) => s,
            _ => return self.error_here(),
        };
        self.expect(&Tok::LP)?;
        let mut params = Vec::new();
        if *self.peek() != Tok::RP {
            loop {
                let ty = self.decltype()?;
                let pname = match self.bump() {
                    Tok::Id(s) => s,
                    _ => {
                        self.i -= 1;
                        return self.error_here();
                    }
                };
                params.push((ty, pname));
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        self.expect(&Tok::RP)?;
        let body = self.block()?;
        Ok(FunctionDecl {
            ret,
            name,
            params,
            body,
            pos,
        })
    }

    /// `block: '{' statement* dstatement? '}'`
    fn block(&mut self) -> PResult<Vec<Stmt>> {
        self.expect(&Tok::LBrack)?;
        let mut out = Vec::new();
        while *self.peek() != Tok::RBrack {
            if *self.peek() == Tok::Eof {
                return self.error_here();
            }
            out.push(self.statement(true)?);
        }
        self.bump();
        Ok(out)
    }

    /// `statement: rstatement | dstatement (';' | EOF)`; in a block the last dstatement may
    /// end at the `}`.
    fn statement(&mut self, in_block: bool) -> PResult<Stmt> {
        self.depth += 1;
        let r = if self.depth > MAX_NESTING {
            self.nested(|p| p.statement_inner(false))
        } else {
            self.statement_inner(in_block)
        };
        self.depth -= 1;
        r
    }

    fn statement_inner(&mut self, in_block: bool) -> PResult<Stmt> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Kw("if") => {
                self.bump();
                self.expect(&Tok::LP)?;
                let cond = self.expression()?;
                self.expect(&Tok::RP)?;
                let then = self.trailer(in_block)?;
                let otherwise = if self.eat(&Tok::Kw("else")) {
                    Some(Box::new(self.trailer(in_block)?))
                } else {
                    None
                };
                Ok(Stmt {
                    kind: StmtKind::If(cond, Box::new(then), otherwise),
                    pos,
                })
            }
            Tok::Kw("while") => {
                self.bump();
                self.expect(&Tok::LP)?;
                let cond = self.expression()?;
                self.expect(&Tok::RP)?;
                let body = if self.eat(&Tok::Semi) {
                    None
                } else {
                    Some(Box::new(self.trailer(in_block)?))
                };
                Ok(Stmt {
                    kind: StmtKind::While(cond, body),
                    pos,
                })
            }
            Tok::Kw("for") => self.for_statement(in_block),
            Tok::Kw("try") => {
                self.bump();
                let body = self.block()?;
                let mut catches = Vec::new();
                while *self.peek() == Tok::Kw("catch") {
                    let cpos = self.pos();
                    self.bump();
                    self.expect(&Tok::LP)?;
                    let ty = self.decltype()?;
                    let name = match self.bump() {
                        Tok::Id(s) => s,
                        _ => {
                            self.i -= 1;
                            return self.error_here();
                        }
                    };
                    self.expect(&Tok::RP)?;
                    let cbody = self.block()?;
                    catches.push(Catch {
                        ty,
                        name,
                        body: cbody,
                        pos: cpos,
                    });
                }
                if catches.is_empty() {
                    return self.error_here();
                }
                Ok(Stmt {
                    kind: StmtKind::Try(body, catches),
                    pos,
                })
            }
            Tok::LBrack => {
                // A block is only a statement as a trailer; at statement level `{` starts a map
                // or is an error. Painless's grammar has no bare block statement.
                self.error_here()
            }
            _ => {
                let s = self.dstatement()?;
                if self.eat(&Tok::Semi) || *self.peek() == Tok::Eof {
                    return Ok(s);
                }
                if in_block && *self.peek() == Tok::RBrack {
                    return Ok(s);
                }
                let tok = &self.toks[self.i];
                Err(ParseError {
                    offset: tok.start,
                    exception: Exception::illegal_argument(format!(
                        "unexpected token ['{}'] was expecting one of [{{<EOF>, ';'}}].",
                        token_text(&tok.tok)
                    )),
                })
            }
        }
    }

    /// `trailer: block | statement`
    fn trailer(&mut self, in_block: bool) -> PResult<Stmt> {
        if *self.peek() == Tok::LBrack {
            let pos = self.pos();
            let b = self.block()?;
            Ok(Stmt {
                kind: StmtKind::Block(b),
                pos,
            })
        } else {
            self.statement(in_block)
        }
    }

    fn for_statement(&mut self, in_block: bool) -> PResult<Stmt> {
        let pos = self.pos();
        self.bump();
        self.expect(&Tok::LP)?;
        // for (ID in expr)
        if let (Tok::Id(name), Tok::Kw("in")) = (self.peek().clone(), self.peek_at(1).clone()) {
            self.bump();
            self.bump();
            let iterable = self.expression()?;
            self.expect(&Tok::RP)?;
            let body = self.trailer(in_block)?;
            return Ok(Stmt {
                kind: StmtKind::Each {
                    ty: None,
                    name,
                    iterable,
                    body: Box::new(body),
                },
                pos,
            });
        }
        // for (decltype ID : expr)
        let mut j = self.i;
        if self.scan_decltype(&mut j)
            && matches!(self.toks[j].tok, Tok::Id(_))
            && self.toks[j + 1].tok == Tok::Colon
        {
            let ty = self.decltype()?;
            let name = match self.bump() {
                Tok::Id(s) => s,
                _ => unreachable!(),
            };
            self.bump();
            let iterable = self.expression()?;
            self.expect(&Tok::RP)?;
            let body = self.trailer(in_block)?;
            return Ok(Stmt {
                kind: StmtKind::Each {
                    ty: Some(ty),
                    name,
                    iterable,
                    body: Box::new(body),
                },
                pos,
            });
        }
        let init = if *self.peek() == Tok::Semi {
            None
        } else if self.looks_like_declaration() {
            Some(ForInit::Decl(Box::new(self.declaration()?)))
        } else {
            Some(ForInit::Expr(self.expression()?))
        };
        self.expect(&Tok::Semi)?;
        let cond = if *self.peek() == Tok::Semi {
            None
        } else {
            Some(self.expression()?)
        };
        self.expect(&Tok::Semi)?;
        let after = if *self.peek() == Tok::RP {
            None
        } else {
            Some(self.expression()?)
        };
        self.expect(&Tok::RP)?;
        let body = if self.eat(&Tok::Semi) {
            None
        } else {
            Some(Box::new(self.trailer(in_block)?))
        };
        Ok(Stmt {
            kind: StmtKind::For {
                init,
                cond,
                after,
                body,
            },
            pos,
        })
    }

    fn looks_like_declaration(&self) -> bool {
        let mut j = self.i;
        self.scan_decltype(&mut j) && matches!(self.toks[j].tok, Tok::Id(_))
    }

    fn declaration(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        let ty = self.decltype()?;
        let mut vars = Vec::new();
        loop {
            let vpos = self.pos();
            let name = match self.bump() {
                Tok::Id(s) => s,
                _ => {
                    self.i -= 1;
                    return self.error_here();
                }
            };
            let init = if self.eat(&Tok::Assign(None)) {
                Some(self.expression()?)
            } else {
                None
            };
            vars.push((name, init, vpos));
            if !self.eat(&Tok::Comma) {
                break;
            }
        }
        Ok(Stmt {
            kind: StmtKind::Decl(ty, vars),
            pos,
        })
    }

    fn dstatement(&mut self) -> PResult<Stmt> {
        let pos = self.pos();
        let kind = match self.peek().clone() {
            Tok::Kw("do") => {
                self.bump();
                let body = self.block()?;
                self.expect(&Tok::Kw("while"))?;
                self.expect(&Tok::LP)?;
                let cond = self.expression()?;
                self.expect(&Tok::RP)?;
                StmtKind::DoWhile(body, cond)
            }
            Tok::Kw("continue") => {
                self.bump();
                StmtKind::Continue
            }
            Tok::Kw("break") => {
                self.bump();
                StmtKind::Break
            }
            Tok::Kw("return") => {
                self.bump();
                if matches!(self.peek(), Tok::Semi | Tok::Eof | Tok::RBrack) {
                    StmtKind::Return(None)
                } else {
                    StmtKind::Return(Some(self.expression()?))
                }
            }
            Tok::Kw("throw") => {
                self.bump();
                StmtKind::Throw(self.expression()?)
            }
            _ if self.looks_like_declaration() => return self.declaration(),
            _ => StmtKind::Expr(self.expression()?),
        };
        Ok(Stmt { kind, pos })
    }

    // ---- expressions ----

    pub(crate) fn expression(&mut self) -> PResult<Expr> {
        self.depth += 1;
        let r = self.nested(Self::expression_inner);
        self.depth -= 1;
        r
    }

    fn nested<T>(&mut self, f: fn(&mut Self) -> PResult<T>) -> PResult<T> {
        if self.depth > MAX_NESTING {
            return Err(ParseError {
                offset: self.pos(),
                exception: Exception::unsupported_operation(format!(
                    "not supported by siemctl's offline Painless: code nested more than {MAX_NESTING} levels deep"
                )),
            });
        }
        f(self)
    }

    fn expression_inner(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        let left = self.noncond(0)?;
        match self.peek().clone() {
            Tok::Cond => {
                self.bump();
                let a = self.expression()?;
                self.expect(&Tok::Colon)?;
                let b = self.expression()?;
                Ok(Expr {
                    kind: ExprKind::Cond(Box::new(left), Box::new(a), Box::new(b)),
                    pos,
                })
            }
            Tok::Assign(op) => {
                let apos = self.pos();
                self.bump();
                let value = self.expression()?;
                let op = op.map(|o| match o {
                    "+" => BinOp::Add,
                    "-" => BinOp::Sub,
                    "*" => BinOp::Mul,
                    "/" => BinOp::Div,
                    "%" => BinOp::Rem,
                    "&" => BinOp::BwAnd,
                    "^" => BinOp::Xor,
                    "|" => BinOp::BwOr,
                    "<<" => BinOp::Lsh,
                    ">>" => BinOp::Rsh,
                    _ => BinOp::Ush,
                });
                let _ = apos;
                Ok(Expr {
                    kind: ExprKind::Assign {
                        target: Box::new(left),
                        op,
                        value: Box::new(value),
                    },
                    pos,
                })
            }
            _ => Ok(left),
        }
    }

    /// Binary operators by precedence climbing; levels from the loosest: `?:` (0, right
    /// associative), `||`, `&&`, `|`, `^`, `&`, equality, `instanceof`, comparison, shifts,
    /// `=~ ==~`, `+ -`, `* / %` (12), as the order of `noncondexpression`'s alternatives.
    fn noncond(&mut self, min: u8) -> PResult<Expr> {
        let pos = self.pos();
        let mut left = self.unary()?;
        loop {
            let t = self.peek().clone();
            let level = match &t {
                Tok::Elvis => 0,
                Tok::BoolOr => 1,
                Tok::BoolAnd => 2,
                Tok::BwOr => 3,
                Tok::Xor => 4,
                Tok::BwAnd => 5,
                Tok::Eq | Tok::Eqr | Tok::Ne | Tok::Ner => 6,
                Tok::Kw("instanceof") => 7,
                Tok::Lt | Tok::Lte | Tok::Gt | Tok::Gte => 8,
                Tok::Lsh | Tok::Rsh | Tok::Ush => 9,
                Tok::Find | Tok::Match => 10,
                Tok::Add | Tok::Sub => 11,
                Tok::Mul | Tok::Div | Tok::Rem => 12,
                _ => break,
            };
            if level < min {
                break;
            }
            self.bump();
            if level == 7 {
                let ty = self.decltype()?;
                left = Expr {
                    kind: ExprKind::Instanceof(Box::new(left), ty),
                    pos,
                };
                continue;
            }
            let right = if level == 0 {
                self.noncond(0)?
            } else {
                self.noncond(level + 1)?
            };
            let (l, r) = (Box::new(left), Box::new(right));
            let kind = match t {
                Tok::Elvis => ExprKind::Elvis(l, r),
                Tok::BoolOr => ExprKind::Bool2(false, l, r),
                Tok::BoolAnd => ExprKind::Bool2(true, l, r),
                Tok::Eq => ExprKind::Comp(CmpOp::Eq, l, r),
                Tok::Eqr => ExprKind::Comp(CmpOp::Eqr, l, r),
                Tok::Ne => ExprKind::Comp(CmpOp::Ne, l, r),
                Tok::Ner => ExprKind::Comp(CmpOp::Ner, l, r),
                Tok::Lt => ExprKind::Comp(CmpOp::Lt, l, r),
                Tok::Lte => ExprKind::Comp(CmpOp::Lte, l, r),
                Tok::Gt => ExprKind::Comp(CmpOp::Gt, l, r),
                Tok::Gte => ExprKind::Comp(CmpOp::Gte, l, r),
                other => ExprKind::Binary(
                    match other {
                        Tok::BwOr => BinOp::BwOr,
                        Tok::Xor => BinOp::Xor,
                        Tok::BwAnd => BinOp::BwAnd,
                        Tok::Lsh => BinOp::Lsh,
                        Tok::Rsh => BinOp::Rsh,
                        Tok::Ush => BinOp::Ush,
                        Tok::Find => BinOp::Find,
                        Tok::Match => BinOp::Match,
                        Tok::Add => BinOp::Add,
                        Tok::Sub => BinOp::Sub,
                        Tok::Mul => BinOp::Mul,
                        Tok::Div => BinOp::Div,
                        _ => BinOp::Rem,
                    },
                    l,
                    r,
                ),
            };
            left = Expr { kind, pos };
        }
        Ok(left)
    }

    fn unary(&mut self) -> PResult<Expr> {
        self.depth += 1;
        let r = self.nested(Self::unary_inner);
        self.depth -= 1;
        r
    }

    fn unary_inner(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::Incr | Tok::Decr => {
                let inc = self.bump() == Tok::Incr;
                let target = self.chain()?;
                Ok(Expr {
                    kind: ExprKind::IncDec {
                        target: Box::new(target),
                        inc,
                        post: false,
                    },
                    pos,
                })
            }
            Tok::Add | Tok::Sub => {
                let neg = self.bump() == Tok::Sub;
                // A negated numeric literal is one constant (upstream Walker folds `-` into the
                // literal so that `-2147483648` is a valid int).
                if neg {
                    if let Some((text, kind)) = self.numeric_literal_alone() {
                        return Ok(Expr {
                            kind: ExprKind::Numeric(format!("-{text}"), kind),
                            pos,
                        });
                    }
                }
                let operand = self.unary()?;
                Ok(Expr {
                    kind: ExprKind::Unary(
                        if neg { UnOp::Neg } else { UnOp::Plus },
                        Box::new(operand),
                    ),
                    pos,
                })
            }
            _ => self.unarynotaddsub(),
        }
    }

    /// A numeric literal not followed by a postfix (so `-1.toString()` is not folded).
    fn numeric_literal_alone(&mut self) -> Option<(String, NumKind)> {
        let (text, kind) = match self.peek().clone() {
            Tok::Octal(s) => (s, NumKind::Octal),
            Tok::Hex(s) => (s, NumKind::Hex),
            Tok::Integer(s) => (s, NumKind::Integer),
            Tok::Decimal(s) => (s, NumKind::Decimal),
            _ => return None,
        };
        if matches!(
            self.peek_at(1),
            Tok::Dot | Tok::NsDot | Tok::LBrace | Tok::Incr | Tok::Decr
        ) {
            return None;
        }
        self.bump();
        Some((text, kind))
    }

    fn unarynotaddsub(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        match self.peek().clone() {
            Tok::BoolNot | Tok::BwNot => {
                let not = self.bump() == Tok::BoolNot;
                let operand = self.unary()?;
                Ok(Expr {
                    kind: ExprKind::Unary(
                        if not { UnOp::Not } else { UnOp::BwNot },
                        Box::new(operand),
                    ),
                    pos,
                })
            }
            Tok::LP => {
                if let Some(primordef) = self.cast_ahead() {
                    self.bump();
                    let ty = self.decltype()?;
                    self.expect(&Tok::RP)?;
                    let operand = if primordef {
                        self.unary()?
                    } else {
                        self.unarynotaddsub()?
                    };
                    return Ok(Expr {
                        kind: ExprKind::Cast(ty, Box::new(operand)),
                        pos,
                    });
                }
                self.postfix_chain()
            }
            _ => self.postfix_chain(),
        }
    }

    /// At `(`: whether a cast follows, and if so whether it is a primitive/def cast (which takes
    /// a `unary`, so `(int)-1` is a cast) rather than a reference cast.
    fn cast_ahead(&self) -> Option<bool> {
        let mut j = self.i + 1;
        let first = self.toks[j].tok.clone();
        if !self.scan_decltype(&mut j) {
            return None;
        }
        if self.toks[j].tok != Tok::RP {
            return None;
        }
        let dims = {
            // dims present if the token before `)` is `]`
            self.toks[j - 1].tok == Tok::RBrace
        };
        let primordef = matches!(first, Tok::Primitive(_) | Tok::Def) && !dims;
        if primordef {
            return Some(true);
        }
        // A reference cast needs a unarynotaddsub after the `)`.
        let next = &self.toks[j + 1].tok;
        let starts = matches!(
            next,
            Tok::Id(_)
                | Tok::LP
                | Tok::BoolNot
                | Tok::BwNot
                | Tok::Octal(_)
                | Tok::Hex(_)
                | Tok::Integer(_)
                | Tok::Decimal(_)
                | Tok::Str(_)
                | Tok::Regex(..)
                | Tok::True
                | Tok::False
                | Tok::Null
                | Tok::LBrace
                | Tok::Kw("new")
        );
        if starts {
            Some(false)
        } else {
            None
        }
    }

    /// `chain` with an optional postfix `++`/`--`.
    fn postfix_chain(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        let c = self.chain()?;
        if matches!(self.peek(), Tok::Incr | Tok::Decr) {
            let inc = self.bump() == Tok::Incr;
            return Ok(Expr {
                kind: ExprKind::IncDec {
                    target: Box::new(c),
                    inc,
                    post: true,
                },
                pos,
            });
        }
        Ok(c)
    }

    fn chain(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        if *self.peek() == Tok::Kw("new") {
            // arrayinitializer: NEW type '[' ... ; or newobject: NEW type arguments
            let save = self.i;
            self.bump();
            let tpos = self.pos();
            let mut name = match self.bump() {
                Tok::Id(s) => s,
                Tok::Primitive(p) => p.to_owned(),
                Tok::Def => "def".to_owned(),
                _ => {
                    self.i -= 1;
                    return self.error_here();
                }
            };
            while *self.peek() == Tok::Dot {
                if let Tok::DotId(s) = self.peek_at(1).clone() {
                    self.bump();
                    self.bump();
                    name.push('.');
                    name.push_str(&s);
                } else {
                    break;
                }
            }
            if *self.peek() == Tok::LBrace {
                if *self.peek_at(1) == Tok::RBrace {
                    // new type[] { ... }
                    let mut dims = 0;
                    while *self.peek() == Tok::LBrace && *self.peek_at(1) == Tok::RBrace {
                        self.bump();
                        self.bump();
                        dims += 1;
                    }
                    self.expect(&Tok::LBrack)?;
                    let mut items = Vec::new();
                    if *self.peek() != Tok::RBrack {
                        loop {
                            items.push(self.expression()?);
                            if !self.eat(&Tok::Comma) {
                                break;
                            }
                        }
                    }
                    self.expect(&Tok::RBrack)?;
                    let e = Expr {
                        kind: ExprKind::NewArrayInit(
                            TypeName {
                                name,
                                dims,
                                pos: tpos,
                            },
                            items,
                        ),
                        pos,
                    };
                    return self.postfixes(e);
                }
                let mut sizes = Vec::new();
                while *self.peek() == Tok::LBrace {
                    self.bump();
                    sizes.push(self.expression()?);
                    self.expect(&Tok::RBrace)?;
                }
                let e = Expr {
                    kind: ExprKind::NewArray(
                        TypeName {
                            name,
                            dims: sizes.len(),
                            pos: tpos,
                        },
                        sizes,
                    ),
                    pos,
                };
                // ( postdot postfix* )?: a brace access right after is not allowed.
                if matches!(self.peek(), Tok::Dot | Tok::NsDot) {
                    return self.postfixes(e);
                }
                return Ok(e);
            }
            if *self.peek() == Tok::LP {
                let args = self.arguments()?;
                let e = Expr {
                    kind: ExprKind::New(
                        TypeName {
                            name,
                            dims: 0,
                            pos: tpos,
                        },
                        args,
                    ),
                    pos,
                };
                return self.postfixes(e);
            }
            self.i = save + 1;
            return self.error_here();
        }
        let p = self.primary()?;
        self.postfixes(p)
    }

    fn postfixes(&mut self, mut e: Expr) -> PResult<Expr> {
        loop {
            // A postfix's location is its `.`, `?.` or `[` (upstream's node offsets).
            let pos = self.pos();
            match self.peek().clone() {
                Tok::Dot | Tok::NsDot => {
                    let null_safe = self.bump() == Tok::NsDot;
                    let name = match self.bump() {
                        Tok::DotId(s) | Tok::DotInteger(s) => s,
                        _ => {
                            self.i -= 1;
                            return self.error_here();
                        }
                    };
                    if *self.peek() == Tok::LP {
                        if name.chars().next().is_some_and(|c| c.is_ascii_digit()) {
                            return self.error_here();
                        }
                        let args = self.arguments()?;
                        e = Expr {
                            kind: ExprKind::Call {
                                target: Box::new(e),
                                name,
                                args,
                                null_safe,
                            },
                            pos,
                        };
                    } else {
                        e = Expr {
                            kind: ExprKind::Field {
                                target: Box::new(e),
                                name,
                                null_safe,
                            },
                            pos,
                        };
                    }
                }
                Tok::LBrace => {
                    self.bump();
                    let index = self.expression()?;
                    self.expect(&Tok::RBrace)?;
                    e = Expr {
                        kind: ExprKind::Index(Box::new(e), Box::new(index)),
                        pos,
                    };
                }
                _ => return Ok(e),
            }
        }
    }

    fn primary(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        let kind = match self.bump() {
            Tok::LP => {
                let e = self.expression()?;
                self.expect(&Tok::RP)?;
                return Ok(e);
            }
            Tok::Octal(s) => ExprKind::Numeric(s, NumKind::Octal),
            Tok::Hex(s) => ExprKind::Numeric(s, NumKind::Hex),
            Tok::Integer(s) => ExprKind::Numeric(s, NumKind::Integer),
            Tok::Decimal(s) => ExprKind::Numeric(s, NumKind::Decimal),
            Tok::True => ExprKind::Bool(true),
            Tok::False => ExprKind::Bool(false),
            Tok::Null => ExprKind::Null,
            Tok::Str(s) => ExprKind::Str(s),
            Tok::Regex(p, f) => ExprKind::Regex(p, f),
            Tok::LBrace => {
                // listinitializer | mapinitializer
                if self.eat(&Tok::RBrace) {
                    ExprKind::ListInit(Vec::new())
                } else if *self.peek() == Tok::Colon && *self.peek_at(1) == Tok::RBrace {
                    self.bump();
                    self.bump();
                    ExprKind::MapInit(Vec::new())
                } else {
                    let first = self.expression()?;
                    if self.eat(&Tok::Colon) {
                        let v = self.expression()?;
                        let mut entries = vec![(first, v)];
                        while self.eat(&Tok::Comma) {
                            let k = self.expression()?;
                            self.expect(&Tok::Colon)?;
                            let v = self.expression()?;
                            entries.push((k, v));
                        }
                        self.expect(&Tok::RBrace)?;
                        ExprKind::MapInit(entries)
                    } else {
                        let mut items = vec![first];
                        while self.eat(&Tok::Comma) {
                            items.push(self.expression()?);
                        }
                        self.expect(&Tok::RBrace)?;
                        ExprKind::ListInit(items)
                    }
                }
            }
            Tok::Id(name) => {
                if *self.peek() == Tok::LP {
                    let args = self.arguments()?;
                    ExprKind::CallLocal(name, args)
                } else {
                    ExprKind::Var(name)
                }
            }
            _ => {
                self.i -= 1;
                return self.error_here();
            }
        };
        Ok(Expr { kind, pos })
    }

    /// `arguments: '(' (argument (',' argument)*)? ')'`, an argument being an expression, a
    /// lambda or a function reference.
    fn arguments(&mut self) -> PResult<Vec<Expr>> {
        self.expect(&Tok::LP)?;
        let mut args = Vec::new();
        if *self.peek() != Tok::RP {
            loop {
                args.push(self.argument()?);
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        self.expect(&Tok::RP)?;
        Ok(args)
    }

    fn argument(&mut self) -> PResult<Expr> {
        let pos = self.pos();
        // funcref: decltype '::' (ID | NEW) | THIS '::' ID
        if *self.peek() == Tok::Kw("this") && *self.peek_at(1) == Tok::Ref {
            self.bump();
            self.bump();
            let method = match self.bump() {
                Tok::Id(s) => s,
                _ => {
                    self.i -= 1;
                    return self.error_here();
                }
            };
            return Ok(Expr {
                kind: ExprKind::FuncRef {
                    target: FuncRefTarget::This,
                    method,
                },
                pos,
            });
        }
        let mut j = self.i;
        if self.scan_decltype(&mut j) && self.toks[j].tok == Tok::Ref {
            let ty = self.decltype()?;
            self.bump();
            let method = match self.bump() {
                Tok::Id(s) => s,
                Tok::Kw("new") => "new".to_owned(),
                _ => {
                    self.i -= 1;
                    return self.error_here();
                }
            };
            return Ok(Expr {
                kind: ExprKind::FuncRef {
                    target: FuncRefTarget::Type(ty),
                    method,
                },
                pos,
            });
        }
        // lambda: (lamtype | '(' (lamtype (',' lamtype)*)? ')') '->' (block | expression)
        if let Some(params) = self.lambda_params()? {
            self.expect(&Tok::Arrow)?;
            let body = if *self.peek() == Tok::LBrack {
                LambdaBody::Block(self.block()?)
            } else {
                LambdaBody::Expr(Box::new(self.expression()?))
            };
            return Ok(Expr {
                kind: ExprKind::Lambda { params, body },
                pos,
            });
        }
        self.expression()
    }

    #[allow(clippy::type_complexity)]
    fn lambda_params(&mut self) -> PResult<Option<Vec<(Option<TypeName>, String)>>> {
        // x ->  |  Type x ->
        if let Tok::Id(name) = self.peek().clone() {
            if *self.peek_at(1) == Tok::Arrow {
                self.bump();
                return Ok(Some(vec![(None, name)]));
            }
        }
        let mut j = self.i;
        if self.scan_decltype(&mut j)
            && matches!(self.toks[j].tok, Tok::Id(_))
            && self.toks[j + 1].tok == Tok::Arrow
        {
            let ty = self.decltype()?;
            let name = match self.bump() {
                Tok::Id(s) => s,
                _ => unreachable!(),
            };
            return Ok(Some(vec![(Some(ty), name)]));
        }
        if *self.peek() != Tok::LP {
            return Ok(None);
        }
        // Find the matching ')' and check for '->' after it.
        let mut k = self.i + 1;
        let mut depth = 1;
        while depth > 0 {
            match self.toks[k].tok {
                Tok::LP => depth += 1,
                Tok::RP => depth -= 1,
                Tok::Eof => return Ok(None),
                _ => {}
            }
            k += 1;
        }
        if self.toks[k].tok != Tok::Arrow {
            return Ok(None);
        }
        self.bump();
        let mut params = Vec::new();
        if *self.peek() != Tok::RP {
            loop {
                let mut j = self.i;
                let typed = self.scan_decltype(&mut j) && matches!(self.toks[j].tok, Tok::Id(_));
                let ty = if typed { Some(self.decltype()?) } else { None };
                let name = match self.bump() {
                    Tok::Id(s) => s,
                    _ => {
                        self.i -= 1;
                        return self.error_here();
                    }
                };
                params.push((ty, name));
                if !self.eat(&Tok::Comma) {
                    break;
                }
            }
        }
        self.expect(&Tok::RP)?;
        Ok(Some(params))
    }
}

fn token_text(t: &Tok) -> String {
    match t {
        Tok::LBrack => "{".into(),
        Tok::RBrack => "}".into(),
        Tok::LBrace => "[".into(),
        Tok::RBrace => "]".into(),
        Tok::LP => "(".into(),
        Tok::RP => ")".into(),
        Tok::Dot => ".".into(),
        Tok::NsDot => "?.".into(),
        Tok::Comma => ",".into(),
        Tok::Semi => ";".into(),
        Tok::Kw(k) => (*k).into(),
        Tok::BoolNot => "!".into(),
        Tok::BwNot => "~".into(),
        Tok::Mul => "*".into(),
        Tok::Div => "/".into(),
        Tok::Rem => "%".into(),
        Tok::Add => "+".into(),
        Tok::Sub => "-".into(),
        Tok::Lsh => "<<".into(),
        Tok::Rsh => ">>".into(),
        Tok::Ush => ">>>".into(),
        Tok::Lt => "<".into(),
        Tok::Lte => "<=".into(),
        Tok::Gt => ">".into(),
        Tok::Gte => ">=".into(),
        Tok::Eq => "==".into(),
        Tok::Eqr => "===".into(),
        Tok::Ne => "!=".into(),
        Tok::Ner => "!==".into(),
        Tok::BwAnd => "&".into(),
        Tok::Xor => "^".into(),
        Tok::BwOr => "|".into(),
        Tok::BoolAnd => "&&".into(),
        Tok::BoolOr => "||".into(),
        Tok::Cond => "?".into(),
        Tok::Colon => ":".into(),
        Tok::Elvis => "?:".into(),
        Tok::Ref => "::".into(),
        Tok::Arrow => "->".into(),
        Tok::Find => "=~".into(),
        Tok::Match => "==~".into(),
        Tok::Incr => "++".into(),
        Tok::Decr => "--".into(),
        Tok::Assign(None) => "=".into(),
        Tok::Assign(Some(op)) => format!("{op}="),
        Tok::Octal(s) | Tok::Hex(s) | Tok::Integer(s) | Tok::Decimal(s) => s.clone(),
        Tok::Str(s) => format!("'{s}'"),
        Tok::Regex(p, f) => format!("/{p}/{f}"),
        Tok::True => "true".into(),
        Tok::False => "false".into(),
        Tok::Null => "null".into(),
        Tok::Primitive(p) => (*p).into(),
        Tok::Def => "def".into(),
        Tok::Id(s) | Tok::DotId(s) | Tok::DotInteger(s) => s.clone(),
        Tok::Eof => "<EOF>".into(),
    }
}
