package awsfake

import (
	"encoding/xml"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"strings"
)

// CloudFront's REST-XML API for public keys and key groups, as the API
// reference describes it (CreatePublicKey, ListPublicKeys, GetPublicKey,
// DeletePublicKey, CreateKeyGroup, ListKeyGroups, GetKeyGroup,
// UpdateKeyGroup, DeleteKeyGroup):
//   - every resource has an ETag that changes with it; an update or a
//     delete must send the current one in If-Match (InvalidIfMatchVersion
//     when missing, PreconditionFailed when stale);
//   - a public key's CallerReference is unique (PublicKeyAlreadyExists);
//   - a key group's name is unique (KeyGroupAlreadyExists), it holds at
//     least one key (CreateKeyGroup: "you must specify at least one public
//     key") and at most MaxKeysPerKeyGroup (TooManyPublicKeysInKeyGroup);
//   - a key a group holds cannot be deleted (PublicKeyInUse);
//   - lists come one item per page, so that callers must follow
//     NextMarker.

// MaxKeysPerKeyGroup is CloudFront's default quota of public keys in one
// key group (Developer Guide, "Specify signers that can create signed
// URLs and signed cookies").
const MaxKeysPerKeyGroup = 5

const cloudFrontPath = "/2020-05-31/"

// CloudFrontKey is a CloudFront public key as the fake stores it.
type CloudFrontKey struct {
	ID, Name, CallerReference, EncodedKey, Comment, ETag string
}

// KeyGroup is a CloudFront key group as the fake stores it.
type KeyGroup struct {
	ID, Name, Comment, ETag string
	Items                   []string
}

type xmlPublicKeyConfig struct {
	XMLName         xml.Name `xml:"PublicKeyConfig"`
	CallerReference string
	Name            string
	EncodedKey      string
	Comment         string
}

type xmlKeyGroupConfig struct {
	XMLName xml.Name `xml:"KeyGroupConfig"`
	Name    string
	Comment string   `xml:",omitempty"`
	Items   []string `xml:"Items>PublicKey"`
}

// CloudFrontKeys returns the public keys, by name.
func (s *Server) CloudFrontKeys() []CloudFrontKey {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CloudFrontKey, 0, len(s.cfKeys))
	for _, k := range s.cfKeys {
		out = append(out, *k)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// KeyGroups returns the key groups, by name.
func (s *Server) KeyGroups() []KeyGroup {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]KeyGroup, 0, len(s.keyGroups))
	for _, g := range s.keyGroups {
		c := *g
		c.Items = slices.Clone(g.Items)
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// AddCloudFrontKey adds a public key made by someone else.
func (s *Server) AddCloudFrontKey(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.newCloudFrontKey(xmlPublicKeyConfig{Name: name, CallerReference: name, EncodedKey: "-----BEGIN PUBLIC KEY-----"}).ID
}

func (s *Server) newCloudFrontKey(cfg xmlPublicKeyConfig) *CloudFrontKey {
	s.serial++
	k := &CloudFrontKey{ID: fmt.Sprintf("K%012d", s.serial), Name: cfg.Name, CallerReference: cfg.CallerReference,
		EncodedKey: cfg.EncodedKey, Comment: cfg.Comment, ETag: s.etag()}
	s.cfKeys[k.ID] = k
	return k
}

func (s *Server) etag() string {
	s.serial++
	return fmt.Sprintf("E%08d", s.serial)
}

// cloudFrontOperation names the operation of a request, as failures and
// Calls name it.
func cloudFrontOperation(r *http.Request) (op, id string) {
	rest := strings.TrimPrefix(r.URL.Path, cloudFrontPath)
	resource, id, _ := strings.Cut(rest, "/")
	noun := map[string]string{"public-key": "PublicKey", "key-group": "KeyGroup"}[resource]
	if noun == "" {
		return "", ""
	}
	switch {
	case r.Method == http.MethodPost && id == "":
		return "Create" + noun, ""
	case r.Method == http.MethodGet && id == "":
		return "List" + noun + "s", ""
	case r.Method == http.MethodGet:
		return "Get" + noun, id
	case r.Method == http.MethodPut:
		return "Update" + noun, id
	case r.Method == http.MethodDelete:
		return "Delete" + noun, id
	}
	return "", ""
}

type cfAnswer struct {
	status int
	etag   string
	body   any
}

// cloudFront answers one CloudFront request; s.mu is held.
func (s *Server) cloudFront(op, id string, r *http.Request, body []byte) (cfAnswer, *apiError) {
	ifMatch := r.Header.Get("If-Match")
	checkETag := func(current string) *apiError {
		switch ifMatch {
		case "":
			return &apiError{http.StatusBadRequest, "InvalidIfMatchVersion", "The If-Match version is missing or not valid."}
		case current:
			return nil
		}
		return &apiError{http.StatusPreconditionFailed, "PreconditionFailed", "The precondition in one or more of the request fields evaluated to false."}
	}
	marker := r.URL.Query().Get("Marker")
	switch op {
	case "CreatePublicKey":
		var cfg xmlPublicKeyConfig
		if err := xml.Unmarshal(body, &cfg); err != nil || cfg.Name == "" || cfg.CallerReference == "" || cfg.EncodedKey == "" {
			return cfAnswer{}, &apiError{http.StatusBadRequest, "InvalidArgument", "PublicKeyConfig needs CallerReference, Name and EncodedKey"}
		}
		if len(cfg.Comment) > 128 {
			return cfAnswer{}, &apiError{http.StatusBadRequest, "InvalidArgument", "the comment is longer than 128 characters"}
		}
		for _, k := range s.cfKeys {
			if k.CallerReference == cfg.CallerReference || k.Name == cfg.Name {
				return cfAnswer{}, &apiError{http.StatusConflict, "PublicKeyAlreadyExists", "The specified public key already exists."}
			}
		}
		k := s.newCloudFrontKey(cfg)
		return cfAnswer{http.StatusCreated, k.ETag, publicKeyXML(k)}, nil
	case "ListPublicKeys":
		ids := sortedIDs(s.cfKeys)
		page, next := onePage(ids, marker)
		type summary struct {
			ID          string `xml:"Id"`
			Name        string
			CreatedTime string
			EncodedKey  string
			Comment     string
		}
		out := struct {
			XMLName    xml.Name  `xml:"PublicKeyList"`
			NextMarker string    `xml:",omitempty"`
			MaxItems   int       `xml:"MaxItems"`
			Quantity   int       `xml:"Quantity"`
			Items      []summary `xml:"Items>PublicKeySummary"`
		}{NextMarker: next, MaxItems: 1, Quantity: len(page)}
		for _, id := range page {
			k := s.cfKeys[id]
			out.Items = append(out.Items, summary{k.ID, k.Name, createdTime, k.EncodedKey, k.Comment})
		}
		return cfAnswer{http.StatusOK, "", out}, nil
	case "GetPublicKey", "DeletePublicKey":
		k, ok := s.cfKeys[id]
		if !ok {
			return cfAnswer{}, &apiError{http.StatusNotFound, "NoSuchPublicKey", "The specified public key does not exist."}
		}
		if op == "GetPublicKey" {
			return cfAnswer{http.StatusOK, k.ETag, publicKeyXML(k)}, nil
		}
		if err := checkETag(k.ETag); err != nil {
			return cfAnswer{}, err
		}
		for _, g := range s.keyGroups {
			if slices.Contains(g.Items, id) {
				return cfAnswer{}, &apiError{http.StatusConflict, "PublicKeyInUse", "The specified public key is in use."}
			}
		}
		delete(s.cfKeys, id)
		return cfAnswer{http.StatusNoContent, "", nil}, nil
	case "CreateKeyGroup", "UpdateKeyGroup":
		var cfg xmlKeyGroupConfig
		if err := xml.Unmarshal(body, &cfg); err != nil || cfg.Name == "" {
			return cfAnswer{}, &apiError{http.StatusBadRequest, "InvalidArgument", "KeyGroupConfig needs a Name"}
		}
		if apiErr := s.checkKeyGroupItems(cfg); apiErr != nil {
			return cfAnswer{}, apiErr
		}
		for _, g := range s.keyGroups {
			if g.Name == cfg.Name && g.ID != id {
				return cfAnswer{}, &apiError{http.StatusConflict, "KeyGroupAlreadyExists", "A key group with this name already exists."}
			}
		}
		g := &KeyGroup{}
		if op == "UpdateKeyGroup" {
			var ok bool
			if g, ok = s.keyGroups[id]; !ok {
				return cfAnswer{}, &apiError{http.StatusNotFound, "NoSuchResource", "A resource the request specifies does not exist."}
			}
			if err := checkETag(g.ETag); err != nil {
				return cfAnswer{}, err
			}
		} else {
			s.serial++
			g.ID = fmt.Sprintf("G%012d", s.serial)
			s.keyGroups[g.ID] = g
		}
		g.Name, g.Comment, g.Items, g.ETag = cfg.Name, cfg.Comment, cfg.Items, s.etag()
		status := http.StatusOK
		if op == "CreateKeyGroup" {
			status = http.StatusCreated
		}
		return cfAnswer{status, g.ETag, keyGroupXML(g)}, nil
	case "ListKeyGroups":
		ids := sortedIDs(s.keyGroups)
		page, next := onePage(ids, marker)
		type summary struct {
			KeyGroup any `xml:"KeyGroup"`
		}
		out := struct {
			XMLName    xml.Name  `xml:"KeyGroupList"`
			NextMarker string    `xml:",omitempty"`
			MaxItems   int       `xml:"MaxItems"`
			Quantity   int       `xml:"Quantity"`
			Items      []summary `xml:"Items>KeyGroupSummary"`
		}{NextMarker: next, MaxItems: 1, Quantity: len(page)}
		for _, id := range page {
			out.Items = append(out.Items, summary{keyGroupBody(s.keyGroups[id])})
		}
		return cfAnswer{http.StatusOK, "", out}, nil
	case "GetKeyGroup", "DeleteKeyGroup":
		g, ok := s.keyGroups[id]
		if !ok {
			return cfAnswer{}, &apiError{http.StatusNotFound, "NoSuchResource", "A resource the request specifies does not exist."}
		}
		if op == "GetKeyGroup" {
			return cfAnswer{http.StatusOK, g.ETag, keyGroupXML(g)}, nil
		}
		if err := checkETag(g.ETag); err != nil {
			return cfAnswer{}, err
		}
		delete(s.keyGroups, id)
		return cfAnswer{http.StatusNoContent, "", nil}, nil
	}
	return cfAnswer{}, &apiError{http.StatusNotFound, "UnknownOperationException", "the fake does not know " + op}
}

func (s *Server) checkKeyGroupItems(cfg xmlKeyGroupConfig) *apiError {
	if len(cfg.Items) == 0 {
		return &apiError{http.StatusBadRequest, "InvalidArgument", "a key group needs at least one public key"}
	}
	if len(cfg.Items) > MaxKeysPerKeyGroup {
		return &apiError{http.StatusBadRequest, "TooManyPublicKeysInKeyGroup", "The number of public keys in this key group is more than the maximum allowed."}
	}
	for _, k := range cfg.Items {
		if _, ok := s.cfKeys[k]; !ok {
			return &apiError{http.StatusNotFound, "NoSuchPublicKey", "The specified public key does not exist: " + k}
		}
	}
	return nil
}

// createdTime is every resource's creation and change time: the fake has
// no use for real ones, and a fixed one keeps tests off the clock.
const createdTime = "2026-01-01T00:00:00Z"

func publicKeyXML(k *CloudFrontKey) any {
	return struct {
		XMLName         xml.Name `xml:"PublicKey"`
		ID              string   `xml:"Id"`
		CreatedTime     string
		PublicKeyConfig xmlPublicKeyConfig
	}{ID: k.ID, CreatedTime: createdTime, PublicKeyConfig: xmlPublicKeyConfig{
		CallerReference: k.CallerReference, Name: k.Name, EncodedKey: k.EncodedKey, Comment: k.Comment}}
}

type keyGroupFields struct {
	ID               string `xml:"Id"`
	LastModifiedTime string
	KeyGroupConfig   xmlKeyGroupConfig
}

func keyGroupBody(g *KeyGroup) keyGroupFields {
	return keyGroupFields{ID: g.ID, LastModifiedTime: createdTime,
		KeyGroupConfig: xmlKeyGroupConfig{Name: g.Name, Comment: g.Comment, Items: g.Items}}
}

func keyGroupXML(g *KeyGroup) any {
	return struct {
		XMLName xml.Name `xml:"KeyGroup"`
		keyGroupFields
	}{keyGroupFields: keyGroupBody(g)}
}

func sortedIDs[V any](m map[string]V) []string {
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// onePage returns the one ID after marker, and the marker of the next page.
func onePage(ids []string, marker string) ([]string, string) {
	i := 0
	if marker != "" {
		i = sort.SearchStrings(ids, marker)
	}
	if i >= len(ids) {
		return nil, ""
	}
	next := ""
	if i+1 < len(ids) {
		next = ids[i+1]
	}
	return ids[i : i+1], next
}

// serveCloudFront writes the answer to a CloudFront request.
func (s *Server) serveCloudFront(w http.ResponseWriter, r *http.Request, op, id string, body []byte, injected *apiError) {
	var ans cfAnswer
	apiErr := injected
	if apiErr == nil {
		s.mu.Lock()
		ans, apiErr = s.cloudFront(op, id, r, body)
		s.mu.Unlock()
	}
	w.Header().Set("Content-Type", "text/xml")
	if apiErr != nil {
		w.WriteHeader(apiErr.status)
		xml.NewEncoder(w).Encode(struct {
			XMLName xml.Name `xml:"ErrorResponse"`
			Type    string   `xml:"Error>Type"`
			Code    string   `xml:"Error>Code"`
			Message string   `xml:"Error>Message"`
			Request string   `xml:"RequestId"`
		}{Type: "Sender", Code: apiErr.code, Message: apiErr.message, Request: "fake-request"})
		return
	}
	if ans.etag != "" {
		w.Header().Set("ETag", ans.etag)
	}
	w.WriteHeader(ans.status)
	if ans.body != nil {
		w.Write([]byte(xml.Header))
		xml.NewEncoder(w).Encode(ans.body)
	}
}
