// Material for MkDocs' page helpers (partials/javascripts/base.html, MIT licence,
// (c) Martin Donath), served as a file so that the site runs without inline scripts.
// The scope is the site root: this file sits two folders below it.
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}};
